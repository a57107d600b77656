"""The sign-off forms: the draft (拟办), the review (审核: return or sign), cancelling, the agency's setting.

Forms only collect input; the rules are in ``services`` and ``gongkai.core.casework.signoff``.
"""

from __future__ import annotations

from django import forms

from gongkai.apps.desk.forms import outcome_choices
from gongkai.web.forms import DateInput, Plain
from gongkai.core import standard

from .models import DecisionDraft


class DraftForm(Plain, forms.ModelForm):
    outcome = forms.ChoiceField(label="办理结果（表三）", choices=outcome_choices)
    note = forms.CharField(label="修改说明", required=False, max_length=500,
                           help_text="可不填；记入拟办审核记录，例如按审核意见修改了什么")

    class Meta:
        model = DecisionDraft
        fields = ("outcome", "decided_on", "decision_reasons", "prohibiting_law", "other_agency_name",
                  "other_agency_contact", "letter_note")
        widgets = {
            "decided_on": DateInput,
            "decision_reasons": forms.Textarea(attrs={"rows": 3}),
            "letter_note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "draft")  # the case page holds other forms (a note, a reason)
        super().__init__(*args, **kwargs)
        self.fields["decided_on"].help_text = "签发时按此日期作出答复决定，告知书落款同此日期"
        if self.instance.pk is None:
            self.fields.pop("note")

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ReviewForm(Plain, forms.Form):
    comment = forms.CharField(label="审核意见", required=False, widget=forms.Textarea(attrs={"rows": 2}),
                              help_text="退回修改时必填；签发时可不填")
    secrecy_opinion = forms.CharField(
        label="保密审查意见", required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="予以公开、部分公开的答复须经保密审查（《条例》第十七条），签发前必填，"
                  "如：经审查，拟公开的信息不涉及国家秘密，同意公开")

    def __init__(self, *args, draft: DecisionDraft, **kwargs):
        kwargs.setdefault("prefix", "review")
        super().__init__(*args, **kwargs)
        if draft.needs_secrecy_review:
            self.fields["secrecy_opinion"].label = "保密审查意见（必填）"
        self.draft = draft


class CancelForm(Plain, forms.Form):
    reason = forms.CharField(label="撤销理由", widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "cancel")
        super().__init__(*args, **kwargs)


class SettingsForm(Plain, forms.Form):
    outcomes = forms.MultipleChoiceField(
        label="须经审核签发的办理结果", required=False, widget=forms.CheckboxSelectMultiple,
        choices=[(key, standard.APPLICATIONS.row(key).short_label) for key in standard.OUTCOME_KEYS],
        help_text="勾选的办理结果只能经拟办、审核、签发作出答复决定；未勾选的可直接作出答复决定")
    reason = forms.CharField(label="修改说明", required=False, max_length=500)
