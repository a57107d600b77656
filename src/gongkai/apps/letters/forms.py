"""Forms of the letters pages: an adjusted template, the agency's settings."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from gongkai.core.casework import letters

from gongkai.core import standard
from gongkai.core.casework import remedy as remedies
from gongkai.core.casework.workdays import CORRECTION_PERIOD_WORKING_DAYS

from .models import LetterSettings
from .services import SETTINGS_FIELDS, default_court, default_review_body, next_numbers

# The rows an agency may move to review-first, in the order of table 3.
CONTESTED_CHOICES = [(key, standard.APPLICATIONS.row(key).short_label) for key in standard.OUTCOME_KEYS
                     if key in remedies.CONTESTED_OUTCOMES]


def pattern_field(series: str) -> str:
    return f"pattern_{series}"


def sequence_field(series: str) -> str:
    return f"next_{series}"


class TemplateForm(forms.Form):
    title = forms.CharField(label="标题", max_length=100)
    body = forms.CharField(label="正文", widget=forms.Textarea(attrs={"rows": 16, "cols": 90}),
                           help_text="每行一段；占位符写作 {申请人} 这样的形式，可用的占位符见下表")
    note = forms.CharField(label="修改说明", max_length=200, required=False)


class SettingsForm(forms.ModelForm):
    correction_working_days = forms.IntegerField(
        label="补正期限（工作日）", min_value=1, max_value=60, initial=CORRECTION_PERIOD_WORKING_DAYS,
        help_text="补正告知书中给申请人的合理补正期限，自告知补正之日的次日起按工作日计算（《条例》第三十条）")
    review_first_outcomes = forms.MultipleChoiceField(
        label="另按复议前置告知的办理结果", choices=CONTESTED_CHOICES, required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="予以公开以外的不予公开各行和部分公开，依法必须告知先申请行政复议（《行政复议法》第二十三条第一款"
                  "第（四）项），不能取消。下列各行是否属于“不予公开”有争议：勾选的，答复告知书按复议前置告知；"
                  "未勾选的，告知申请人可以选择申请行政复议或者提起行政诉讼。每次修改均记录修改前后的内容。")
    reason = forms.CharField(label="修改说明", max_length=200, required=False,
                             help_text="记入文书设置的修改记录，如：经法制机构审核")

    class Meta:
        model = LetterSettings
        fields = [f for f in SETTINGS_FIELDS if f not in ("review_first_outcomes", "number_patterns")]
        widgets = {"payment_instructions": forms.Textarea(attrs={"rows": 3, "cols": 60})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        agency = self.instance.agency
        for series, (label, default) in letters.NUMBER_SERIES.items():
            self.fields[pattern_field(series)] = forms.CharField(
                label=f"文号格式：{label}", max_length=40, required=False, initial=self.instance.number_pattern(series),
                help_text=f"不填写的为默认“{default}”；可用" + "、".join("{" + n + "}" for n in letters.NUMBER_PLACEHOLDERS)
                          + "，必须包含{年}和{序号}")
        year = timezone.localdate().year
        self.sequence_year = year
        for series, number in next_numbers(agency, year).items() if agency.pk else ():
            self.fields[sequence_field(series)] = forms.IntegerField(
                label=f"{year}年{letters.NUMBER_SERIES[series][0]}的下一个顺序号", min_value=1, max_value=999_999,
                initial=number, required=False,
                help_text="本年度已在系统外（纸质或其他系统）编号的，填写接续的顺序号；不能小于已使用的顺序号")
        body = default_review_body(agency)
        self.fields["review_body"].help_text = (
            f"不填写的，为“{body}”（按《行政复议法》第二十四条至第二十七条和本机关的上级机关确定）" if body else
            "本机关必须填写：系统无法从机关设置中确定行政复议机关（实行垂直领导的部门为上一级主管部门，"
            "《行政复议法》第二十七条）")
        self.fields["court"].help_text = f"不填写的，写作“{default_court(agency)}”"
        if not self.is_bound:
            self.initial["correction_working_days"] = agency.correction_working_days
            self.initial["review_first_outcomes"] = list(self.instance.review_first_outcomes or [])

    def clean(self):
        data = super().clean()
        for series in letters.NUMBER_SERIES:
            name = pattern_field(series)
            pattern = (data.get(name) or "").strip()
            if not pattern:
                continue
            try:
                letters.format_number(pattern, data.get("number_prefix") or "", 2026, 1)
            except letters.LetterError as error:
                self.add_error(name, str(error))
        return data

    def settings_values(self) -> dict:
        """The cleaned values as ``services.save_settings`` takes them."""
        data = self.cleaned_data
        values = {name: data[name] for name in self.Meta.fields}
        values["review_first_outcomes"] = list(data.get("review_first_outcomes") or [])
        values["number_patterns"] = {series: data.get(pattern_field(series)) or "" for series in letters.NUMBER_SERIES}
        values["correction_working_days"] = data["correction_working_days"]
        return values

    def sequence_values(self) -> dict[str, int]:
        """The next sequence number of each series as ``services.set_next_numbers`` takes them."""
        return {series: self.cleaned_data.get(sequence_field(series)) for series in letters.NUMBER_SERIES
                if self.cleaned_data.get(sequence_field(series))}
