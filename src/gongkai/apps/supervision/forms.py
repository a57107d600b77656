"""The supervising office's forms: an upload of reports, a list of web addresses, the agency and
year of a collected report. Messages in Chinese."""

from __future__ import annotations

from datetime import date

from django import forms

from gongkai.apps.agencies.models import Agency

from .collecting import valid_address

MAX_ADDRESSES = 5000


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        if not files:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


def _year_field() -> forms.IntegerField:
    return forms.IntegerField(label="报告年度（可不填）", required=False, min_value=2008, max_value=date.today().year,
                              error_messages={"min_value": "年度不能早于 2008 年（《条例》施行之年）",
                                              "max_value": "年度不能晚于今年", "invalid": "请填写四位数的年度"},
                              help_text="报告中读不出年度时采用")


class HintsForm(forms.Form):
    """The year and agency to use where a report does not say (or names no agency of the region)."""

    year = _year_field()
    agency = forms.ModelChoiceField(label="机关（可不填）", queryset=Agency.objects.none(), required=False,
                                    empty_label="按报告中的机关名称匹配",
                                    error_messages={"invalid_choice": "所选机关不在本地区"},
                                    help_text="报告中的机关名称与本地区的机关都对不上时采用")

    def __init__(self, *args, region: Agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = region.subtree().order_by("order_path")

    def hints(self) -> dict:
        data = self.cleaned_data
        return {k: v for k, v in {"year": data.get("year"),
                                  "agency": data["agency"].pk if data.get("agency") else None}.items() if v}


class UploadForm(HintsForm):
    files = MultipleFileField(label="报告文件", error_messages={"required": "请选择要上传的报告文件或 ZIP 压缩包",
                                                              "empty": "上传的文件是空的", "invalid": "没有收到文件，请重新选择"},
                              help_text="可多选；支持 TXT、Word（DOCX/DOC/WPS）、PDF、网页（HTML）、Excel、Markdown、RTF、ODT 和 ZIP 压缩包")

    field_order = ["files", "year", "agency"]


class CollectForm(HintsForm):
    addresses = forms.CharField(label="网址", widget=forms.Textarea(attrs={"rows": 8}),
                                error_messages={"required": "请填写要采集的网址，每行一个"},
                                help_text=f"每行一个 http:// 或 https:// 网址，最多 {MAX_ADDRESSES} 个")

    field_order = ["addresses", "year", "agency"]

    def clean_addresses(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["addresses"].splitlines()]
        urls = list(dict.fromkeys(line for line in lines if line and not line.startswith("#")))
        if not urls:
            raise forms.ValidationError("请填写要采集的网址，每行一个")
        if len(urls) > MAX_ADDRESSES:
            raise forms.ValidationError(f"一次最多采集 {MAX_ADDRESSES} 个网址，实有 {len(urls)} 个")
        bad = [n for n, url in enumerate(lines, start=1) if url and not url.startswith("#") and not valid_address(url)]
        if bad:
            shown = "、".join(str(n) for n in bad[:10]) + ("等" if len(bad) > 10 else "")
            raise forms.ValidationError(f"第 {shown} 行不是有效的 http:// 或 https:// 网址")
        return urls


class AssignForm(forms.Form):
    """The agency and year of a collected report, set by the office (an unmatched report)."""

    agency = forms.ModelChoiceField(label="机关", queryset=Agency.objects.none(),
                                    error_messages={"required": "请选择机关", "invalid_choice": "所选机关不在本地区"})
    year = _year_field()

    def __init__(self, *args, region: Agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = region.subtree().order_by("order_path")
        self.fields["year"].label = "报告年度"
        self.fields["year"].required = True
        self.fields["year"].error_messages["required"] = "请填写报告年度"
        self.fields["year"].help_text = ""
