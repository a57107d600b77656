"""The desk's forms: registration, edits, the lifecycle steps, handler assignment, work-list filters.

Forms only collect and shape input; the rules (who may, what is legal, what the fee is) are in
``gongkai.apps.cases.models`` and ``gongkai.core``, whose Chinese errors the views show.
"""

from __future__ import annotations

from datetime import date

from django import forms
from django.contrib.auth import get_user_model

from gongkai.apps.agencies import permissions
from gongkai.apps.agencies.models import Agency
from gongkai.apps.cases.models import (APPLICANT_CHOICES, FEE_METHOD_CHOICES, OUTCOME_CHOICES, STATE_CHOICES, Application,
                                       Channel, CorrectionKind, ReplyChannel)
from gongkai.apps.cases.personal import mask_id_number
from gongkai.apps.cases.services import EDITABLE_FIELDS
from gongkai.core.casework import fees, lifecycle
from gongkai.core import standard
from gongkai.core.casework.lifecycle import Event
from gongkai.web.forms import DateInput, Plain

from .templatetags.desk import person
from .worklists import NUMBER, SORTS, UNASSIGNED

PERSON_FIELDS = ("id_type", "id_number")
ORGANISATION_FIELDS = ("credit_code", "contact_person")
CONTACT_FIELDS = ("phone", "email", "address")
REQUEST_FIELDS = ("channel", "received_on", "description", "form_wanted", "delivery_wanted")


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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.id_number:  # the page shows the number masked; blank keeps it (个人信息保护法)
            self.initial["id_number"] = ""
            self.fields["id_number"].help_text = f"现为 {mask_id_number(self.instance.id_number)}；不修改请留空"

    def clean_id_number(self):
        return self.cleaned_data["id_number"] or self.instance.id_number

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


# Which outcomes each decision field belongs to (the page shows a field only for them; the core
# rules in ``lifecycle.Decision`` decide what is required).
REASONS_OUTCOMES = sorted(lifecycle.REASONED_OUTCOMES)
NOT_HELD = "unable_not_held"
ART_36_4, ART_36_5 = "36_4", "36_5"


class DecideForm(StepForm):
    """The outcome and what the decision states: reasons (Art. 36(3), 37), the prohibiting law,
    and for information not held the choice of Art. 36(4) or 36(5) with the other agency."""

    outcome_key = forms.ChoiceField(label="办理结果（表三）", choices=outcome_choices)
    decision_reasons = forms.CharField(
        label="答复理由", required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="部分公开、不予公开和“其他”处理须说明理由（《条例》第三十六条第（三）项、第三十七条），写入答复告知书")
    prohibiting_law = forms.CharField(
        label="禁止公开的法律、行政法规及条款", required=False, max_length=200,
        help_text="以“法律、行政法规禁止公开”为由不予公开时必填，例如：《中华人民共和国统计法》第三十九条")
    not_held_article = forms.ChoiceField(
        label="本机关不掌握相关政府信息", required=False, widget=forms.RadioSelect, initial=ART_36_4,
        choices=[(ART_36_4, "经检索没有所申请公开的信息，且不能确定负责公开的机关（《条例》第三十六条第（四）项）"),
                 (ART_36_5, "该信息由其他行政机关负责公开，告知其名称和联系方式（《条例》第三十六条第（五）项）")])
    other_agency_name = forms.CharField(label="负责公开该信息的机关", required=False, max_length=200)
    other_agency_contact = forms.CharField(label="该机关的联系方式", required=False, max_length=200,
                                           help_text="电话、地址或网站等")

    # field -> the outcomes it belongs to (data-outcomes on the page)
    FIELD_OUTCOMES = {"decision_reasons": REASONS_OUTCOMES, "prohibiting_law": ["denied_law_prohibited"],
                      "not_held_article": [NOT_HELD], "other_agency_name": [NOT_HELD],
                      "other_agency_contact": [NOT_HELD]}

    def clean(self):
        data = super().clean()
        if data.get("outcome_key") == NOT_HELD and data.get("not_held_article") == ART_36_5:
            for name in ("other_agency_name", "other_agency_contact"):
                if not (data.get(name) or "").strip():
                    self.add_error(name, "选择第三十六条第（五）项的，须填写负责公开该信息的机关及其联系方式")
        return data

    def outcome(self) -> str | None:
        return self.cleaned_data["outcome_key"]

    def details(self) -> dict:
        data = self.cleaned_data
        out = {name: data.get(name) or "" for name in ("decision_reasons", "prohibiting_law", "other_agency_name",
                                                          "other_agency_contact")}
        if data.get("outcome_key") == NOT_HELD:
            out["held_by_other_agency"] = data.get("not_held_article") == ART_36_5
        return out

    def outcome_fields(self):
        """(bound field, the outcomes it belongs to) for the page."""
        return [(self[name], " ".join(self.FIELD_OUTCOMES.get(name, []))) for name in self.fields]


class CorrectionForm(StepForm):
    """The one-time correction request (条例 Art. 30): why, and what exactly to correct."""

    correction_kind = forms.ChoiceField(label="补正原因", choices=CorrectionKind.choices, widget=forms.RadioSelect)
    correction_items = forms.CharField(label="补正事项", widget=forms.Textarea(attrs={"rows": 3}),
                                       help_text="一次性写明需要申请人补正的全部事项（《条例》第三十条），写入补正告知书")

    def details(self) -> dict:
        return {"correction_kind": self.cleaned_data["correction_kind"],
                "correction_items": self.cleaned_data["correction_items"]}


class ConsultationForm(StepForm):
    """A consultation of a third party or another agency (条例 Art. 32, 34)."""

    consultation_party = forms.CharField(label="被征求意见的第三方或机关", max_length=200)
    consultation_received_on = forms.DateField(
        label="第三方收到征求意见书的日期", required=False, widget=DateInput,
        help_text="第三方自收到之日起15个工作日内提出意见（《条例》第三十二条）；不填则暂以发出之日计算")

    def details(self) -> dict:
        return {"consultation_party": self.cleaned_data["consultation_party"],
                "consultation_received_on": self.cleaned_data["consultation_received_on"]}


class FeeNoticeReceivedForm(StepForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].label = "申请人收到收费通知的日期"
        self.fields["on"].help_text = "如邮件签收日期；缴费期限自收到的次日起计算20个工作日（国办函〔2020〕109号）"


class ReceiveReasonsForm(StepForm):
    """The applicant's reasons (条例 Art. 35) and the agency's finding on them."""

    reasons_reasonable = forms.TypedChoiceField(
        label="认定", widget=forms.RadioSelect, coerce=lambda v: v == "yes",
        choices=[("no", "理由不合理：告知申请人不予处理（表三“申请数量、频次明显超过合理范围”）"),
                 ("yes", "理由合理")])
    later_due_on = forms.DateField(
        label="延迟答复的合理期限", required=False, widget=DateInput,
        help_text="理由合理但无法在法定期限内答复的，确定延迟答复的合理期限并告知申请人；须晚于现在的答复期限")

    def clean(self):
        data = super().clean()
        if data.get("later_due_on") and data.get("reasons_reasonable") is False:
            self.add_error("later_due_on", "认定理由不合理的，不能确定延迟答复期限")
        return data

    def details(self) -> dict:
        return {"reasons_reasonable": self.cleaned_data["reasons_reasonable"],
                "later_due_on": self.cleaned_data["later_due_on"]}


class VoidForm(StepForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = True
        self.fields["reason"].label = "作废理由"
        self.fields["reason"].help_text = ("仅用于误登记（例如并非政府信息公开申请、登记到错误的机关），须经审核人（负责人）批准；"
                                          "记录保留，不计入年度报告表三。同一申请登记两次的，请用“合并重复登记”")


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
    fee_notice_channel = forms.ChoiceField(
        label="收费通知送达方式", choices=[("", "请选择"), *ReplyChannel.choices],
        help_text="邮寄的，须在申请人收到后登记收到日期；当面、电子邮件、网上平台、传真送达的以发出之日为收到之日")
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
                "fee_explanation": "\n".join(self.fee.explanation),
                "fee_notice_channel": self.cleaned_data["fee_notice_channel"]}


class MergeForm(StepForm):
    target = forms.CharField(label="合并至（本机关申请编号）", max_length=20,
                             help_text="同一份申请被登记了两次（如信函和网上各登记一次）时，填写保留的那件，例如 2026-0042；"
                                       "申请人就同一内容再次申请的（重复申请），不在此合并，应作出答复决定"
                                       "（表三“重复申请”）")

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
    Event.REQUEST_CORRECTION: CorrectionForm,
    Event.START_CONSULTATION: ConsultationForm,
    Event.FEE_NOTICE_RECEIVED: FeeNoticeReceivedForm,
    Event.RECEIVE_REASONS: ReceiveReasonsForm,
    Event.VOID: VoidForm,
}


def step_form(event: Event, *args, **kwargs) -> StepForm:
    return STEP_FORMS.get(event, StepForm)(*args, event=event, **kwargs)


class AssignForm(Plain, forms.Form):
    handler = forms.ModelChoiceField(queryset=get_user_model().objects.none(), label="承办人", required=False,
                                     empty_label="（不指定）")

    def __init__(self, *args, application: Application, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handler"].queryset = (
            get_user_model().objects.filter(memberships__agency=application.agency, memberships__role__in=permissions.roles_for(permissions.Action.ACT))
            .distinct().order_by("username")
        )
        self.fields["handler"].label_from_instance = person
        self.fields["handler"].initial = application.handler_id


class WorklistFilterForm(Plain, forms.Form):
    """The search box, the filters and the sort of a work list (all in the URL, so that a list can be
    bookmarked, saved as a filter and exported as it is shown)."""

    q = forms.CharField(label="查询", required=False, max_length=100,
                        widget=forms.TextInput(attrs={"type": "search", "placeholder": "编号、申请人、申请内容或文号"}))
    agency = forms.ModelChoiceField(queryset=Agency.objects.none(), label="机关", required=False,
                                    empty_label="全部机关")
    state = forms.ChoiceField(label="状态", required=False, choices=[("", "全部状态"), *STATE_CHOICES])
    outcome = forms.ChoiceField(label="办理结果", required=False, choices=[("", "全部结果"), *OUTCOME_CHOICES])
    channel = forms.ChoiceField(label="申请方式", required=False, choices=[("", "全部方式"), *Channel.choices])
    handler = forms.ChoiceField(label="承办人", required=False)
    received_from = forms.DateField(label="收到日期自", required=False, widget=DateInput)
    received_to = forms.DateField(label="至", required=False, widget=DateInput)
    overdue = forms.BooleanField(label="仅逾期未答复", required=False)
    extended = forms.BooleanField(label="仅已延期", required=False)
    sort = forms.ChoiceField(label="排序", required=False, widget=forms.HiddenInput,
                             choices=[("", "")] + [(f"{d}{k}", k) for k in SORTS for d in ("", "-")])

    FILTERS = ("state", "outcome", "channel", "handler", "received_from", "received_to", "overdue", "extended")
    PARAMETERS = ("q", "agency", *FILTERS, "sort")

    def __init__(self, *args, agencies, handlers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
        self.fields["handler"].choices = [("", "全部承办人"), (UNASSIGNED, "（未指定）"),
                                          *((str(user.pk), person(user)) for user in handlers)]

    def clean(self):
        data = super().clean()
        start, end = data.get("received_from"), data.get("received_to")
        if start and end and start > end:
            self.add_error("received_to", f"结束日期 {end.isoformat()} 早于开始日期 {start.isoformat()}")
        return data

    def active_filters(self) -> int:
        """How many filters (not the search box, the agency or the sort) are set."""
        if not self.is_bound or not self.is_valid():
            return 0
        return sum(1 for name in self.FILTERS if self.cleaned_data.get(name))


class BatchAssignForm(forms.Form):
    """Several cases of a list given to one handler."""

    cases = forms.TypedMultipleChoiceField(coerce=int, label="申请", error_messages={
        "required": "请先勾选要分派的申请", "invalid_choice": "所选申请不存在或您无权查看"})
    handler = forms.ModelChoiceField(queryset=get_user_model().objects.none(), label="承办人",
                                     error_messages={"required": "请选择承办人",
                                                     "invalid_choice": "所选承办人不是您所在机关的承办人员"})

    def __init__(self, *args, case_ids, handlers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cases"].choices = [(pk, pk) for pk in case_ids]
        self.fields["handler"].queryset = handlers


class SavedFilterForm(Plain, forms.Form):
    name = forms.CharField(label="名称", max_length=40, error_messages={"required": "请为常用查询起一个名称"})


__all__ = ["RegistrationForm", "RegisterForm", "EditForm", "StepForm", "step_form", "AssignForm", "WorklistFilterForm", "BatchAssignForm",
           "SavedFilterForm"]


class AttachmentForm(forms.Form):
    """A file that came with the application (the letter, an ID scan, a proof)."""

    file = forms.FileField(label="附件", error_messages={"required": "请选择要上传的文件", "empty": "文件是空的"})
    note = forms.CharField(label="说明", max_length=200, required=False)
