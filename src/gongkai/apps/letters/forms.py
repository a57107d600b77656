"""Forms of the letters pages: an adjusted template, the agency's settings."""

from __future__ import annotations

from django import forms

from gongkai.core.workdays import CORRECTION_PERIOD_WORKING_DAYS

from .models import LetterSettings
from .services import SETTINGS_FIELDS


class TemplateForm(forms.Form):
    title = forms.CharField(label="标题", max_length=100)
    body = forms.CharField(label="正文", widget=forms.Textarea(attrs={"rows": 16, "cols": 90}),
                           help_text="每行一段；占位符写作 {申请人} 这样的形式，可用的占位符见下表")
    note = forms.CharField(label="修改说明", max_length=200, required=False)


class SettingsForm(forms.ModelForm):
    correction_working_days = forms.IntegerField(
        label="补正期限（工作日）", min_value=1, max_value=60, initial=CORRECTION_PERIOD_WORKING_DAYS,
        help_text="补正告知书中给申请人的合理补正期限，自告知补正之日的次日起按工作日计算（《条例》第三十条）")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["correction_working_days"] = self.instance.agency.correction_working_days

    class Meta:
        model = LetterSettings
        fields = list(SETTINGS_FIELDS)
        widgets = {"payment_instructions": forms.Textarea(attrs={"rows": 3, "cols": 60})}
