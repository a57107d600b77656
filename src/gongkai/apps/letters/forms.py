"""Forms of the letters pages: an adjusted template, the agency's settings."""

from __future__ import annotations

from django import forms

from .models import LetterSettings
from .services import SETTINGS_FIELDS


class TemplateForm(forms.Form):
    title = forms.CharField(label="标题", max_length=100)
    body = forms.CharField(label="正文", widget=forms.Textarea(attrs={"rows": 16, "cols": 90}),
                           help_text="每行一段；占位符写作 {申请人} 这样的形式，可用的占位符见下表")
    note = forms.CharField(label="修改说明", max_length=200, required=False)


class SettingsForm(forms.ModelForm):
    class Meta:
        model = LetterSettings
        fields = list(SETTINGS_FIELDS)
        widgets = {"payment_instructions": forms.Textarea(attrs={"rows": 3, "cols": 60})}
