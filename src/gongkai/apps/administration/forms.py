"""Forms of the administration pages."""

from __future__ import annotations

from django import forms
from django.contrib.auth.validators import UnicodeUsernameValidator

from gongkai.apps.agencies.models import Agency, Membership
from gongkai.web.forms import Plain

ROLE_HELP = ("登记：登记申请、修改登记信息；承办：办理申请、生成文书、拟办答复、起草主动公开目录；"
             "审核/负责人：审核签发、延长期限、各项设置、目录审核（目录审核人）、管理本机关及下级机关的人员；"
             "上级主管（只读）：查看本机关及全部下级机关的申请和年度报告，开展区域监督，不能修改")


def role_field(choices, initial=()) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(label="角色", required=False, widget=forms.CheckboxSelectMultiple,
                                     choices=[(r, dict(Membership.Role.choices)[r]) for r in choices],
                                     initial=list(initial), help_text=ROLE_HELP)


class PasswordField(forms.CharField):
    def __init__(self, label: str, **kwargs):
        super().__init__(label=label, strip=False, max_length=128,
                         widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                         help_text="至少10个字符，不能是常见密码、不能全是数字、不能与用户名或姓名相近；"
                                   "请当面或电话告知本人，本人首次登录时须修改", **kwargs)


class NewPassword(Plain, forms.Form):
    """A password the administrator sets (typed twice); the person changes it at their next login."""

    label = "初始密码"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"] = PasswordField(self.label)
        self.fields["password2"] = forms.CharField(label=f"再次输入{self.label}", strip=False, max_length=128,
                                                   widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password2") is not None and data["password"] != data["password2"]:
            self.add_error("password2", "两次输入的密码不一致")
        return data


class AccountForm(NewPassword):
    username = forms.CharField(label="用户名", max_length=150, validators=[UnicodeUsernameValidator()],
                               help_text="登录时使用，如 zhangsan；字母、数字和 @ . + - _，创建后不能修改")
    name = forms.CharField(label="姓名", max_length=150)
    email = forms.EmailField(label="电子邮箱", required=False, help_text="用于接收到期提醒")

    def __init__(self, *args, roles=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["roles"] = role_field(roles)


class DetailsForm(Plain, forms.Form):
    name = forms.CharField(label="姓名", max_length=150)
    email = forms.EmailField(label="电子邮箱", required=False)


class RolesForm(Plain, forms.Form):
    def __init__(self, *args, agencies=(), roles=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"] = forms.ModelChoiceField(label="机关", queryset=Agency.objects.filter(
            pk__in=[a.pk for a in agencies]).order_by("order_path"), empty_label=None, widget=forms.HiddenInput)
        self.fields["roles"] = role_field(roles)


class ResetPasswordForm(NewPassword):
    label = "临时密码"


class AgencyForm(Plain, forms.ModelForm):
    class Meta:
        model = Agency
        fields = ["name", "kind", "credit_code", "vertical", "position"]
        help_texts = {"kind": "机关类别决定年度报告的报送期限和告知书中的行政复议机关：县级以上人民政府、政府部门、乡镇和街道各不相同"}



class IntakeForm(Plain, forms.Form):
    enabled = forms.BooleanField(label="接受网上申请", required=False,
                                 help_text="接受的，公众可以在公开页面“依申请公开”栏目向本机关提交申请，系统自动登记")
    contact = forms.CharField(label="咨询电话或联系方式", max_length=200, required=False,
                              help_text="显示在回执和办理进度页面上，例如“0531-12345678（工作日 9:00–17:00）”")
    notice = forms.CharField(label="申请须知", required=False, max_length=5000,
                             widget=forms.Textarea(attrs={"rows": 5}), help_text="选择本机关时显示在申请表上方（可不填）")
