"""Forms for a review or a lawsuit; the rules themselves are in ``Appeal.clean``."""

from __future__ import annotations

from django import forms

from .models import Appeal, Kind

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AppealForm(forms.ModelForm):
    """Add (``editing=False``) or change (``editing=True``: a reason is required) an appeal."""

    reason = forms.CharField(label="修改理由", widget=forms.Textarea(attrs={"rows": 2}), required=False)

    class Meta:
        model = Appeal
        fields = ["kind", "review", "case_number", "body", "filed_on", "result", "concluded_on", "note"]
        widgets = {"filed_on": DATE, "concluded_on": DATE, "note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, application, kind_choices, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.application = application
        self.editing = editing
        self.fields["kind"].choices = [(k.value, k.label) for k in kind_choices]
        if editing:
            self.fields["kind"].disabled = True
        reviews = Appeal.objects.filter(application=application, kind=Kind.REVIEW)
        if self.instance.pk:
            reviews = reviews.exclude(pk=self.instance.pk)
        if Kind.LITIGATION_AFTER_REVIEW in kind_choices:
            self.fields["review"].queryset = reviews
        else:
            del self.fields["review"]
        review = kind_choices == [Kind.REVIEW]
        self.fields["body"].label = "复议机关" if review else "人民法院"
        self.fields["filed_on"].label = "申请复议日期" if review else "起诉日期"
        if not editing:
            del self.fields["reason"]
        else:
            self.fields["reason"].required = True

    def _post_clean(self):
        # Appeal.clean needs the application; the service runs full_clean again under a lock.
        self.instance.application = self.application
        if self.editing:
            self.instance.kind = self.initial.get("kind", self.instance.kind)
        super()._post_clean()

    def appeal_fields(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k not in ("kind", "reason")}
