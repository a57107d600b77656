"""The desk's forms: registration, edits, the lifecycle steps, handler assignment, work-list filters.

Forms only collect and shape input; the rules (who may, what is legal, what the fee is) are in
``gongkai.apps.cases.models`` and ``gongkai.core``, whose Chinese errors the views show.
"""

from __future__ import annotations

from datetime import date

from django import forms
from django.contrib.auth import get_user_model

from gongkai.apps.agencies.models import Agency
from gongkai.apps.cases.models import APPLICANT_CHOICES, FEE_METHOD_CHOICES, Application, ReplyChannel
from gongkai.apps.cases.services import EDITABLE_FIELDS
from gongkai.core import fees, lifecycle, standard
from gongkai.core.lifecycle import Event

from .access import ACTING_ROLES
from .templatetags.desk import person
from .worklists import NUMBER

PERSON_FIELDS = ("id_type", "id_number")
ORGANISATION_FIELDS = ("credit_code", "contact_person")
CONTACT_FIELDS = ("phone", "email", "address")
REQUEST_FIELDS = ("channel", "received_on", "description", "form_wanted", "delivery_wanted")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class Plain:
    """Labels without a colon after them (the page lays labels out above their fields)."""

    required_css_class = "required"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class ApplicationForm(Plain, forms.ModelForm):
    """The registration record: applicant (natural person or organisation), contact, request."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["applicant_type"].choices = APPLICANT_CHOICES  # one of the six, no blank choice

    class Meta:
        model = Application
        fields = EDITABLE_FIELDS
        widgets = {
            "applicant_type": forms.RadioSelect,
            "received_on": DateInput,
            "description": forms.Textarea(attrs={"rows": 4}),
            "address": forms.TextInput(attrs={"autocomplete": "street-address"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
        }
        help_texts = {
            "id_type": "例如：居民身份证、护照",
            "credit_code": "18位，可不填",
            "contact_person": "法人或其他组织申请时必填",
            "phone": "电话、电子邮箱、通信地址至少填写一项",
            "form_wanted": "例如：纸质、电子数据",
            "delivery_wanted": "例如：邮寄、电子邮件、当面领取",
        }

    def fieldsets(self):
        """The fields grouped for the page: (legend, css class, bound fields)."""
        groups = [
            ("申请人", "", ("applicant_type", "applicant_name")),
            ("自然人填写", "person-only", PERSON_FIELDS),
            ("法人或其他组织填写", "organisation-only", ORGANISATION_FIELDS),
            ("联系方式", "", CONTACT_FIELDS),
            ("申请内容", "", REQUEST_FIELDS),
        ]
        return [(legend, css, [self[name] for name in names if name in self.fields]) for legend, css, names in groups]


class RegistrationForm(ApplicationForm):
    agency = forms.ModelChoiceField(queryset=Agency.objects.none(), label="登记机关", empty_label=None)

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
        self.order_fields(["agency", *EDITABLE_FIELDS])

    def fieldsets(self):
        return [("登记机关", "", [self["agency"]]), *super().fieldsets()]


class RegisterForm(RegistrationForm):
    """Registration, with the confirmation of warnings (check digits, likely duplicates): the first
    submission shows them, the second with "仍然登记" ticked registers."""

    warning_keys = forms.CharField(required=False, widget=forms.HiddenInput)
    confirm_warnings = forms.BooleanField(label="已核对上述提示，仍然登记", required=False)

    def confirmed(self) -> list[str]:
        """The warnings the registrar saw and confirmed (none unless the box is ticked)."""
        if not self.cleaned_data.get("confirm_warnings"):
            return []
        return self.cleaned_data.get("warning_keys", "").split()

    def asking(self, warnings) -> "RegisterForm":
        """The same form again, asking to confirm ``warnings`` (the box not ticked)."""
        data = self.data.copy()
        data[self.add_prefix("warning_keys")] = " ".join(w.key for w in warnings)
        data.pop(self.add_prefix("confirm_warnings"), None)
        form = type(self)(data, agencies=self.fields["agency"].queryset)
        form.is_valid()
        form.warnings = warnings
        return form


class EditForm(ApplicationForm):
    reason = forms.CharField(label="修改理由", widget=forms.Textarea(attrs={"rows": 2}),
                             help_text="必填，将记入办理记录")

    def fieldsets(self):
        return [*super().fieldsets(), ("修改理由", "", [self["reason"]])]

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.changed_data if name in EDITABLE_FIELDS}


def outcome_choices() -> list:
    """The 21 outcomes of table 3, grouped as the table prints them."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for key in lifecycle.OUTCOMES:
        row = standard.APPLICATIONS.row(key)
        group = row.group if row.group and row.group.startswith("（") else "予以公开或部分公开"
        groups.setdefault(group, []).append((key, row.label))
    return [("", "请选择办理结果"), *groups.items()]


class StepForm(Plain, forms.Form):
    """A lifecycle step: its date and a reason or note."""

    on = forms.DateField(label="日期", widget=DateInput)
    reason = forms.CharField(label="理由或说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, application: Application, event: Event, day: date, **kwargs):
        kwargs.setdefault("prefix", event.value)
        super().__init__(*args, **kwargs)
        self.application, self.event = application, event
        self.fields["on"].initial = day

    def outcome(self) -> str | None:
        return None

    def details(self) -> dict:
        return {}


class ExtendForm(StepForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = True
        self.fields["reason"].label = "延期理由"
        self.fields["reason"].help_text = "须经审核人（负责人）批准并告知申请人（《条例》第三十三条）"


class DecideForm(StepForm):
    outcome_key = forms.ChoiceField(label="办理结果（表三）", choices=outcome_choices)

    def outcome(self) -> str | None:
        return self.cleaned_data["outcome_key"]


class SendReplyForm(StepForm):
    reply_channel = forms.ChoiceField(label="送达方式", choices=[("", "请选择"), *ReplyChannel.choices])
    delivery_proof = forms.CharField(label="送达凭证", required=False, max_length=200,
                                     help_text=Application._meta.get_field("delivery_proof").help_text)

    def details(self) -> dict:
        return {"reply_channel": self.cleaned_data["reply_channel"],
                "delivery_proof": self.cleaned_data["delivery_proof"]}


class FeeNoticeForm(StepForm):
    """The fee by one method; the first submission shows the computation, the second confirms it."""

    fee_method = forms.ChoiceField(label="收费方式", choices=FEE_METHOD_CHOICES, widget=forms.RadioSelect)
    pages = forms.IntegerField(label="页数（按量计收）", required=False, min_value=0)
    nth_in_month = forms.IntegerField(label="该申请人本月第几件申请（按件计收）", required=False, min_value=1)
    confirmed_yuan = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        method = data.get("fee_method")
        if method is None:
            return data
        method = fees.FeeMethod(method)
        measure = {"pages": data.get("pages")} if method is fees.FeeMethod.PER_PAGE else {
            "nth_in_month": data.get("nth_in_month")}
        try:
            self.fee = fees.fee(method, **measure)
        except fees.FeeError as error:
            raise forms.ValidationError(str(error)) from error
        if self.fee.yuan <= 0:
            raise forms.ValidationError(f"按{method.label}计算应收 0 元，无需发出收费通知")
        return data

    @property
    def preview(self):
        """The fee to confirm (the form came back with the computed amount), else None."""
        fee = getattr(self, "fee", None)
        return fee if fee is not None and self.is_bound and not self.errors and self.confirmed() else None

    def confirmed(self) -> bool:
        """The amount the person saw and confirmed is the amount computed now."""
        return self.cleaned_data.get("confirmed_yuan") == self.fee.yuan

    def details(self) -> dict:
        return {"fee_method": self.fee.method.value, "fee_yuan": self.fee.yuan,
                "fee_explanation": "\n".join(self.fee.explanation)}


class MergeForm(StepForm):
    target = forms.CharField(label="合并至（本机关申请编号）", max_length=20,
                             help_text="同一申请重复登记时填写保留的那件，例如 2026-0042")

    def clean_target(self):
        text = self.cleaned_data["target"]
        match = NUMBER.match(text)
        if not match:
            raise forms.ValidationError("请填写申请编号，格式为“年度-序号”，例如 2026-0042")
        target = Application.objects.filter(agency=self.application.agency, year=int(match.group(1)),
                                             serial=int(match.group(2))).first()
        if target is None:
            raise forms.ValidationError(f"本机关没有编号为 {text.strip()} 的申请")
        return target

    def details(self) -> dict:
        return {"merged_into": self.cleaned_data["target"]}


STEP_FORMS: dict[Event, type[StepForm]] = {
    Event.EXTEND: ExtendForm,
    Event.DECIDE: DecideForm,
    Event.SEND_REPLY: SendReplyForm,
    Event.SEND_FEE_NOTICE: FeeNoticeForm,
    Event.MERGE: MergeForm,
}


def step_form(event: Event, *args, **kwargs) -> StepForm:
    return STEP_FORMS.get(event, StepForm)(*args, event=event, **kwargs)


class AssignForm(Plain, forms.Form):
    handler = forms.ModelChoiceField(queryset=get_user_model().objects.none(), label="承办人", required=False,
                                     empty_label="（不指定）")

    def __init__(self, *args, application: Application, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handler"].queryset = (
            get_user_model().objects.filter(memberships__agency=application.agency, memberships__role__in=ACTING_ROLES)
            .distinct().order_by("username")
        )
        self.fields["handler"].label_from_instance = person
        self.fields["handler"].initial = application.handler_id


class WorklistFilterForm(Plain, forms.Form):
    q = forms.CharField(label="查询", required=False, max_length=100,
                        widget=forms.TextInput(attrs={"type": "search", "placeholder": "编号、申请人或申请内容"}))
    agency = forms.ModelChoiceField(queryset=Agency.objects.none(), label="机关", required=False,
                                    empty_label="全部机关")

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies


__all__ = ["RegistrationForm", "RegisterForm", "EditForm", "StepForm", "step_form", "AssignForm", "WorklistFilterForm"]


class AttachmentForm(forms.Form):
    """A file that came with the application (the letter, an ID scan, a proof)."""

    file = forms.FileField(label="附件", error_messages={"required": "请选择要上传的文件", "empty": "文件是空的"})
    note = forms.CharField(label="说明", max_length=200, required=False)
