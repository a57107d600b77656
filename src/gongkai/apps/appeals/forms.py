"""Forms for a review or a lawsuit; the rules themselves are in ``Appeal.clean``."""

from __future__ import annotations

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from gongkai.apps.catalogue.models import Item
from gongkai.web.forms import DateInput

from .models import Appeal, Kind, Subject

DATE = DateInput()


class AppealForm(forms.ModelForm):
    """Add (``editing=False``) or change (``editing=True``: a reason is required) an appeal.

    About an application (``application`` given): the subjects it may have now (``subjects``: an
    undecided application offers only 不作为). About active disclosure (``application=None``): the
    agency among ``agencies`` and the catalogue item by its 索引号 (optional)."""

    item_index = forms.CharField(label="所涉信息的索引号", max_length=60, required=False,
                                 help_text="针对目录中某条主动公开信息的，填写其索引号；没有的，在说明中写明所涉事项")
    reason = forms.CharField(label="修改理由", widget=forms.Textarea(attrs={"rows": 2}), required=False)

    class Meta:
        model = Appeal
        fields = ["agency", "subject", "kind", "review", "appellant", "case_number", "body", "filed_on", "result",
                  "concluded_on", "note"]
        widgets = {"filed_on": DATE, "concluded_on": DATE, "note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, application, kind_choices, editing=False, subjects=(), agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.application = application
        self.editing = editing
        self.fields["kind"].choices = [(k.value, k.label) for k in kind_choices]
        if editing:
            self.fields["kind"].disabled = True
        if application is not None:
            del self.fields["agency"], self.fields["item_index"]
            if editing:
                self.fields["subject"].disabled = True
            else:
                self.fields["subject"].choices = [(s.value, s.label) for s in subjects]
                self.fields["subject"].initial = subjects[0].value
                self.fields["subject"].required = False  # not given: the first (the decision, if any)
                self.subjects = subjects
                self.fields["subject"].help_text = (
                    "申请人对未答复或逾期答复不服的，选择“不作为”；申请尚未作出答复决定的，只能选择此项"
                    if Subject.DECISION not in subjects else "")
            reviews = Appeal.objects.filter(application=application, kind=Kind.REVIEW)
        else:
            del self.fields["subject"]
            self.instance.subject = Subject.ACTIVE
            if editing:
                self.fields["agency"].disabled = True
                self.fields["agency"].queryset = type(self.instance.agency).objects.filter(pk=self.instance.agency_id)
                if self.instance.catalogue_item_id:
                    self.fields["item_index"].initial = self.instance.catalogue_item.index_number
            else:
                self.fields["agency"].queryset = agencies
                self.fields["agency"].empty_label = None
            reviews = Appeal.objects.filter(subject=Subject.ACTIVE, application__isnull=True, kind=Kind.REVIEW)
            if self.instance.agency_id:
                reviews = reviews.filter(agency_id=self.instance.agency_id)
            elif agencies is not None:
                reviews = reviews.filter(agency__in=agencies)
        if self.instance.pk:
            reviews = reviews.exclude(pk=self.instance.pk)
        if Kind.LITIGATION_AFTER_REVIEW in kind_choices:
            self.fields["review"].queryset = reviews
        else:
            del self.fields["review"]
        review = kind_choices == [Kind.REVIEW]
        self.fields["body"].label = "复议机关" if review else "人民法院"
        self.fields["filed_on"].label = "申请复议日期" if review else "起诉日期"
        self.fields["appellant"].label = "复议申请人" if review else "原告"
        if not editing:
            del self.fields["reason"]
        else:
            self.fields["reason"].required = True

    def clean_subject(self):
        value = self.cleaned_data.get("subject")
        if not value and not self.editing and self.application is not None:
            return self.subjects[0].value
        return value

    def clean_item_index(self):
        text = self.cleaned_data.get("item_index", "").strip()
        agency = self.cleaned_data.get("agency") or (self.instance.agency if self.instance.agency_id else None)
        if not text or agency is None:
            return None
        item = Item.objects.filter(agency=agency, index_number=text).first()
        if item is None:
            raise forms.ValidationError(f"“{agency}”的目录中没有索引号为 {text} 的信息")
        return item

    def _post_clean(self):
        # Appeal.clean needs the application (or the item); the service runs full_clean again under a lock.
        self.instance.application = self.application
        if self.application is not None:
            self.instance.agency = self.application.agency
        elif "item_index" in self.cleaned_data:
            self.instance.catalogue_item = self.cleaned_data["item_index"]
        if self.editing:
            self.instance.kind = self.initial.get("kind", self.instance.kind)
        super()._post_clean()

    def _update_errors(self, errors):
        # The model's errors about fields the form does not show (the application, the agency, the
        # subject when fixed) are said above the form, never a ValueError (HTTP 500).
        if hasattr(errors, "error_dict"):
            shown: dict = {}
            for name, messages in errors.error_dict.items():
                shown.setdefault(name if name in self.fields else NON_FIELD_ERRORS, []).extend(messages)
            errors = ValidationError(shown)
        super()._update_errors(errors)

    def appeal_fields(self) -> dict:
        """The fields for ``file_appeal`` / ``edit_appeal`` (besides kind, subject and agency)."""
        fields = {k: v for k, v in self.cleaned_data.items()
                  if k not in ("kind", "reason", "subject", "agency", "item_index")}
        if self.application is None:
            fields["catalogue_item"] = self.cleaned_data.get("item_index")
        return fields
