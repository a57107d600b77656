"""The public forms: the online application (条例 Art. 29), the tracking look-up and the recovery
of a lost tracking code.

Art. 29 asks for the applicant's name and proof of identity, contact details, a description of
the information (its name, document number or other features that help find it) and the form
and way of getting it. It does not ask why the information is wanted, so the form does not
either. The checks here are those a person can fix at once (an ID number's check digit, the
credit code's check character, the phone number's shape); the registry's own rules are applied
again when the application is registered.
"""

from __future__ import annotations

import re
from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from gongkai.apps.agencies.models import Agency
from gongkai.apps.cases.models import (
    APPLICANT_CHOICES,
    ATTACHMENT_MAX_BYTES,
    ATTACHMENT_SUFFIXES,
    check_attachment,
)
from gongkai.core.casework import identity
from gongkai.web.forms import DateInput, Plain

from .apply_intake import APPLICANT_FIELDS, intake_agencies
from .recovery import normalize_contact, parse_number

ID_CARD = "居民身份证"
ID_TYPES = [ID_CARD, "港澳居民来往内地通行证", "台湾居民来往大陆通行证", "港澳台居民居住证", "护照",
            "外国人永久居留身份证", "其他有效身份证件"]
FORMS_WANTED = [("纸质", "纸质"), ("电子数据", "电子数据")]
DELIVERIES = [("邮寄", "邮寄"), ("电子邮件", "电子邮件"), ("网上获取", "网上获取"), ("自行领取", "自行领取（到机关当面领取）")]
MAX_FILES = 5
DESCRIPTION_MIN = 4
DESCRIPTION_MAX = 4000
SUFFIX_TEXT = "、".join(suffix.lstrip(".").upper() for suffix in ATTACHMENT_SUFFIXES)

_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^(0\d{2,3})-?(\d{7,8})(?:-(\d{1,6}))?$")


def id_card_problem(number: str, today: date) -> str | None:
    """What is wrong with a resident ID number (GB 11643-1999: birth date, check character)."""
    return identity.id_number_problem(number, today)


def credit_code_problem(code: str) -> str | None:
    """What is wrong with a unified social credit code (GB 32100-2015: 18 characters, check character)."""
    return identity.credit_code_problem(code)


def normalize_phone(text: str) -> str | None:
    """A mainland mobile number (11 digits) or a landline with its area code; None if neither."""
    phone = re.sub(r"[\s()（）]", "", text or "").replace("－", "-").replace("—", "-")
    phone = re.sub(r"^(\+?86)-?", "", phone)
    if _MOBILE.match(phone.replace("-", "")):
        return phone.replace("-", "")
    match = _LANDLINE.match(phone)
    if match:
        area, number, extension = match.groups()
        return f"{area}-{number}" + (f"-{extension}" if extension else "")
    return None


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field: a list of uploaded files (possibly empty)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ",".join(ATTACHMENT_SUFFIXES)}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, (list, tuple)) else [data]) if f]
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


def applicant_type_choices() -> list:
    """The six applicant columns of table 3: 自然人, then the kinds of 法人或其他组织 ("其他" said in full)."""
    return [(key, "其他组织" if key == "other" else label) for key, label in APPLICANT_CHOICES]


class OnlineApplicationForm(Plain, forms.Form):
    agency = forms.ModelChoiceField(queryset=None, label="受理机关", empty_label="请选择受理申请的机关",
                                    help_text="向制作或者保存该政府信息的机关提出申请（《条例》第二十七条）")
    applicant_type = forms.ChoiceField(label="申请人类别", widget=forms.RadioSelect, initial="natural_person",
                                       help_text="以个人名义申请的选“自然人”；以单位名义申请的，选择单位的类别")
    applicant_name = forms.CharField(label="申请人姓名或名称", max_length=200,
                                     widget=forms.TextInput(attrs={"autocomplete": "name"}))
    id_type = forms.ChoiceField(label="身份证件类型", choices=[(t, t) for t in ID_TYPES], required=False,
                                initial=ID_CARD)
    id_number = forms.CharField(label="身份证件号码", max_length=40, required=False,
                                widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}))
    credit_code = forms.CharField(label="统一社会信用代码", max_length=18, required=False,
                                  widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
                                  help_text="18位，见营业执照或登记证书")
    contact_person = forms.CharField(label="联系人", max_length=100, required=False)
    phone = forms.CharField(label="联系电话", max_length=40, help_text="手机号码或带区号的固定电话；查询办理进度时需要其后4位",
                            widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}))
    email = forms.EmailField(label="电子邮箱", required=False, help_text="选择以电子邮件获取信息时必填",
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    address = forms.CharField(label="通信地址", max_length=200, required=False, help_text="选择邮寄时必填",
                              widget=forms.TextInput(attrs={"autocomplete": "street-address"}))
    description = forms.CharField(
        label="所需政府信息的名称、文号或者便于查询的其他特征性描述", max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="例如：文件名称和文号，或者信息的制作机关、时间、内容等特征（《条例》第二十九条）")
    form_wanted = forms.ChoiceField(label="获取信息的载体形式", choices=FORMS_WANTED, widget=forms.RadioSelect,
                                    initial="电子数据")
    delivery_wanted = forms.ChoiceField(label="获取信息的方式", choices=DELIVERIES, widget=forms.RadioSelect,
                                        initial="电子邮件")
    attachments = MultipleFileField(
        label="附件（可选）", required=False,
        help_text=f"如身份证明复印件、委托书等，最多{MAX_FILES}个，每个不超过{ATTACHMENT_MAX_BYTES // (1024 * 1024)} MB；"
                  f"可上传 {SUFFIX_TEXT} 文件")
    truthful = forms.BooleanField(
        label="本人（本单位）承诺：所填信息真实、准确，所提交的身份证明合法有效；知悉提供虚假信息的应承担相应法律责任。",
        error_messages={"required": "请阅读并勾选承诺后再提交"})
    # A field people never see (hidden from sight and from screen readers); robots fill it in.
    website = forms.CharField(label="网址（请勿填写）", required=False,
                              widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = intake_agencies()
        self.fields["applicant_type"].choices = applicant_type_choices()

    @property
    def is_spam(self) -> bool:
        return bool(self.data.get("website", "").strip())

    def fieldsets(self):
        """The fields grouped for the page: (legend, css class, bound fields), as the desk's form."""
        groups = [
            ("向哪个机关申请", "", ("agency",)),
            ("申请人", "", ("applicant_type", "applicant_name")),
            ("自然人填写", "person-only", ("id_type", "id_number")),
            ("法人或其他组织填写", "organisation-only", ("credit_code", "contact_person")),
            ("联系方式", "", ("phone", "email", "address")),
            ("申请内容", "", ("description", "form_wanted", "delivery_wanted", "attachments")),
        ]
        return [(legend, css, [self[name] for name in names]) for legend, css, names in groups]

    def clean_applicant_name(self):
        return " ".join(self.cleaned_data["applicant_name"].split())

    def clean_phone(self):
        phone = normalize_phone(self.cleaned_data["phone"])
        if phone is None:
            raise forms.ValidationError("请填写11位手机号码，或带区号的固定电话（如 0531-12345678）")
        return phone

    def clean_description(self):
        text = self.cleaned_data["description"].strip()
        if len(text) < DESCRIPTION_MIN:
            raise forms.ValidationError(f"请具体描述所需的政府信息（至少{DESCRIPTION_MIN}个字），便于机关查找")
        return text

    def clean_attachments(self):
        files = self.cleaned_data["attachments"]
        if len(files) > MAX_FILES:
            raise forms.ValidationError(f"最多上传{MAX_FILES}个附件")
        for upload in files:
            try:
                check_attachment(upload.name, upload.size)
            except ValidationError as error:
                raise forms.ValidationError(error.messages) from None
        return files

    def clean(self):
        data = super().clean()
        kind = data.get("applicant_type")
        if kind == "natural_person":
            data["credit_code"], data["contact_person"] = "", ""
            number = re.sub(r"\s", "", data.get("id_number", "")).upper()
            data["id_number"] = number
            if not data.get("id_type"):
                self.add_error("id_type", "请选择身份证件类型")
            if not number:
                self.add_error("id_number", "自然人申请应填写身份证件号码（《条例》第二十九条）")
            elif data.get("id_type") == ID_CARD:
                problem = id_card_problem(number, timezone.localdate())
                if problem:
                    self.add_error("id_number", problem)
            elif not re.fullmatch(r"[0-9A-Z()（）-]{5,40}", number):
                self.add_error("id_number", "证件号码应为5至40位数字或字母")
        elif kind:
            data["id_type"], data["id_number"] = "", ""
            code = re.sub(r"\s", "", data.get("credit_code", "")).upper()
            data["credit_code"] = code
            if not code:
                self.add_error("credit_code", "法人或其他组织申请应填写统一社会信用代码")
            else:
                problem = credit_code_problem(code)
                if problem:
                    self.add_error("credit_code", problem)
            if not data.get("contact_person", "").strip():
                self.add_error("contact_person", "法人或其他组织申请应填写联系人")
        delivery, wanted = data.get("delivery_wanted"), data.get("form_wanted")
        if delivery == "电子邮件" and not data.get("email") and "email" not in self.errors:
            self.add_error("email", "选择以电子邮件获取信息的，请填写电子邮箱")
        if delivery == "邮寄" and not data.get("address", "").strip():
            self.add_error("address", "选择邮寄的，请填写通信地址")
        if wanted == "纸质" and delivery in ("电子邮件", "网上获取"):
            self.add_error("delivery_wanted", "纸质文本只能邮寄或自行领取；需要电子邮件或网上获取的，请选择“电子数据”")
        return data

    def registry_fields(self) -> dict:
        """The registry's fields of the application (``apply_intake.APPLICANT_FIELDS``)."""
        return {name: self.cleaned_data[name] for name in APPLICANT_FIELDS}

    def uploaded_files(self) -> list[tuple[str, bytes]]:
        return [(upload.name, upload.read()) for upload in self.cleaned_data["attachments"]]


class TrackForm(Plain, forms.Form):
    code = forms.CharField(label="查询码", max_length=40,
                           help_text="回执上的12位查询码，字母不区分大小写，可带或不带连字符",
                           widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false",
                                                         "autocapitalize": "characters"}))
    factor = forms.CharField(label="联系电话或证件号码的后4位", max_length=10,
                             help_text="申请时填写的联系电话、身份证件号码或统一社会信用代码的最后4位",
                             widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}))


class RecoverForm(Plain, forms.Form):
    """Recovering a lost tracking code (``recovery``): the agency, the number or the day of the
    application, and the e-mail address or mobile number given when applying."""

    agency = forms.ModelChoiceField(label="受理机关", queryset=Agency.objects.none(), empty_label="请选择")
    number = forms.CharField(label="申请编号", max_length=20, required=False,
                             help_text="回执上的申请编号，例如 2026-0042；不记得的，请填写下面的提交日期",
                             widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}))
    submitted_on = forms.DateField(label="提交申请的日期", required=False, widget=DateInput(),
                                   help_text="不记得申请编号时填写")
    contact = forms.CharField(label="申请时填写的电子邮箱或手机号码", max_length=254,
                              help_text="新的查询码将发送到申请时填写的这一电子邮箱或手机号码",
                              widget=forms.TextInput(attrs={"autocomplete": "email", "spellcheck": "false"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = (Agency.objects.filter(active=True, online_intake__isnull=False)
                                          .order_by("order_path"))

    def clean_number(self):
        text = self.cleaned_data["number"].strip()
        if text and parse_number(text) is None:
            raise ValidationError("申请编号的格式为“年份-序号”，例如 2026-0042")
        return parse_number(text) if text else None

    def clean_contact(self):
        contact = normalize_contact(self.cleaned_data["contact"])
        if contact is None:
            raise ValidationError("请填写申请时填写的电子邮箱，或11位手机号码（固定电话无法接收短信）")
        return contact

    def clean(self):
        data = super().clean()
        if not self.errors and data.get("number") is None and data.get("submitted_on") is None:
            raise ValidationError("请填写申请编号，或提交申请的日期")
        return data
