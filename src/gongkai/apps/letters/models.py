"""Letters to applicants: each agency's settings and adjusted templates, and every letter issued.

The texts, legal bases and placeholders are the core's (``gongkai.core.casework.letters``); an office
adjusts a kind's title and body as a new ``LetterTemplate`` version (the old ones stay), every
change of the settings is kept as a ``LetterSettingsChange`` (before and after, who, when), and
every generated letter is kept as an ``IssuedLetter`` with its DOCX bytes, their SHA-256 and its
own number (文号) drawn from a ``LetterNumberCounter``. Nothing here is ever deleted.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from gongkai.apps.agencies.models import Agency
from gongkai.apps.cases.models import Application
from gongkai.apps.records import ChangeRecord
from gongkai.core.casework import letters
from gongkai.core.casework import remedy as remedies

KIND_CHOICES = [(k.key, k.label) for k in letters.KINDS.values()]
CONTESTED = frozenset(remedies.CONTESTED_OUTCOMES)


class LetterSettings(models.Model):
    """What an agency's letters say about the agency itself (filled in by its approver)."""

    agency = models.OneToOneField(Agency, verbose_name="机关", on_delete=models.PROTECT, related_name="letter_settings")
    review_body = models.CharField(
        "行政复议机关", max_length=100, blank=True,
        help_text="不填写的，按《行政复议法》第二十四条至第二十七条取默认：政府工作部门为本级人民政府，乡镇人民政府、"
                  "县级和设区的市级人民政府为上一级人民政府；实行垂直领导的部门必须填写（上一级主管部门）")
    court = models.CharField("管辖的人民法院", max_length=100, blank=True,
                             help_text="不填写的，写作“有管辖权的人民法院”（以县级以上人民政府为被告的，为中级人民法院，"
                                       "《行政诉讼法》第十五条）")
    online_review_channel = models.CharField(
        "网上申请行政复议的渠道", max_length=200, blank=True,
        help_text="如：某省行政复议网上申请平台（https://…）。通过互联网或电子邮件送达的答复告知书必须载明"
                  "（《行政复议法》第二十二条第二款），未填写的不能生成")
    review_first_outcomes = models.JSONField(
        "另按复议前置告知的办理结果", default=list, blank=True,
        help_text="不予公开和部分公开依法必须先申请行政复议；无法提供、不予处理和其他各行可由本机关选择按复议前置告知")
    number_prefix = models.CharField("文号前缀", max_length=40, blank=True,
                                     help_text="文号格式中的{前缀}，如“青政信”")
    number_patterns = models.JSONField("文号格式", default=dict, blank=True,
                                       help_text="按文书类别：{前缀}{年}{序号}，如“{前缀}补〔{年}〕{序号}号”")
    signature_name = models.CharField("落款机关名称", max_length=100, blank=True,
                                      help_text="不填写的，落款为本机关名称")
    contact_person = models.CharField("联系人", max_length=50, blank=True)
    contact_phone = models.CharField("联系电话", max_length=40, blank=True)
    contact_address = models.CharField("通信地址", max_length=200, blank=True)
    payment_instructions = models.TextField("信息处理费缴纳途径", blank=True,
                                            help_text="收款单位、账号或者缴费平台；生成缴费通知书时必填")
    page_numbers = models.BooleanField("页脚显示页码", default=False)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="修改人", on_delete=models.PROTECT,
                                   related_name="+")
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "文书设置"
        verbose_name_plural = "文书设置"

    def __str__(self) -> str:
        return f"{self.agency} 文书设置"

    @property
    def signature(self) -> str:
        return self.signature_name.strip() or self.agency.name

    def number_pattern(self, series: str) -> str:
        """The pattern of a series' numbers: the office's, else the default."""
        return (self.number_patterns or {}).get(series) or letters.NUMBER_SERIES[series][1]

    def clean(self) -> None:
        errors = {}
        unknown = set(self.review_first_outcomes or []) - CONTESTED
        if unknown:
            errors["review_first_outcomes"] = "只有无法提供、不予处理和其他各行可以另按复议前置告知：" + "、".join(sorted(unknown))
        problems = []
        for series, pattern in (self.number_patterns or {}).items():
            if series not in letters.NUMBER_SERIES:
                problems.append(f"没有“{series}”这类文书")
                continue
            try:
                letters.format_number(pattern, self.number_prefix, 2026, 1)
            except letters.LetterError as error:
                problems.append(f"{letters.NUMBER_SERIES[series][0]}：{error}")
        if problems:
            errors["number_patterns"] = "；".join(problems)
        if errors:
            raise ValidationError(errors)


class LetterSettingsChange(ChangeRecord):
    """One change of an agency's letter settings: who, when, before and after (never deleted)."""

    agency = models.ForeignKey(Agency, verbose_name="机关", on_delete=models.PROTECT, related_name="letter_settings_changes")

    recorded_model = LetterSettings

    class Meta:
        verbose_name = "文书设置修改记录"
        verbose_name_plural = "文书设置修改记录"
        ordering = ["agency", "-at", "-pk"]

    def delete(self, *args, **kwargs):
        raise ValidationError("文书设置的修改记录不能删除")


class LetterNumberCounter(models.Model):
    """The last number drawn in an agency's series of letters in a year (文号的顺序号)."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT)
    series = models.CharField(max_length=30)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "series", "year"], name="letter_number_counter_unique")]


class LetterTemplate(models.Model):
    """One version of an agency's text for one kind of letter; the newest version is in force."""

    agency = models.ForeignKey(Agency, verbose_name="机关", on_delete=models.PROTECT, related_name="letter_templates")
    kind = models.CharField("文书种类", max_length=60, choices=KIND_CHOICES)
    version = models.PositiveIntegerField("版本")
    title = models.CharField("标题", max_length=100)
    body = models.TextField("正文", help_text="每行一段；占位符写作 {申请人} 这样的形式")
    note = models.CharField("修改说明", max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="修改人", on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField("修改时间", auto_now_add=True)

    class Meta:
        verbose_name = "文书模板"
        verbose_name_plural = "文书模板"
        ordering = ["agency", "kind", "-version"]
        constraints = [models.UniqueConstraint(fields=["agency", "kind", "version"], name="letter_template_version")]

    def __str__(self) -> str:
        return f"{self.agency} · {self.get_kind_display()} · 第{self.version}版"

    @property
    def letter_kind(self) -> letters.LetterKind:
        return letters.kind(self.kind)

    def clean(self) -> None:
        if self.kind not in letters.KINDS:
            raise ValidationError({"kind": "没有这种文书"})
        try:
            letters.validate_template(self.letter_kind, self.title, self.body)
        except letters.LetterError as error:
            raise ValidationError({"body": str(error)}) from error

    def delete(self, *args, **kwargs):
        raise ValidationError("文书模板的历史版本不能删除；如需恢复默认文本，请保存一个新版本")


class IssuedLetter(models.Model):
    """A letter as it was generated: the DOCX bytes, their SHA-256, who issued it and when."""

    application = models.ForeignKey(Application, verbose_name="申请", on_delete=models.PROTECT, related_name="letters")
    kind = models.CharField("文书种类", max_length=60, choices=KIND_CHOICES)
    title = models.CharField("标题", max_length=100)
    number = models.CharField("文号", max_length=80)
    agency = models.ForeignKey(Agency, verbose_name="机关", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+", help_text="文号所属机关（早期生成的文书为空）")
    number_series = models.CharField("文号类别", max_length=30, blank=True)
    number_year = models.PositiveSmallIntegerField("文号年度", null=True, blank=True)
    number_sequence = models.PositiveIntegerField("文号顺序号", null=True, blank=True)
    recipient = models.CharField("收件人", max_length=200)
    letter_date = models.DateField("文书日期")
    template_version = models.PositiveIntegerField("模板版本", default=0, help_text="0 为系统默认文本")
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="生成人", on_delete=models.PROTECT,
                                  related_name="+")
    issued_at = models.DateTimeField("生成时间", auto_now_add=True)
    content = models.BinaryField("文件内容（DOCX）", help_text="PDF 由此文件的内容排版生成")
    sha256 = models.CharField("SHA-256", max_length=64)
    filename = models.CharField("文件名", max_length=200)
    # The generating form's token (one per page shown): a repeated request returns this letter.
    request_token = models.CharField("生成请求标识", max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = "已生成文书"
        verbose_name_plural = "已生成文书"
        ordering = ["application", "issued_at", "pk"]
        indexes = [models.Index(fields=["application", "kind"], name="issued_letter_kind")]
        constraints = [models.UniqueConstraint(
            fields=["agency", "number_series", "number_year", "number_sequence"], name="issued_letter_unique_number",
            condition=models.Q(number_sequence__isnull=False)),
            models.UniqueConstraint(fields=["application", "request_token"], name="issued_letter_unique_request",
                                    condition=~models.Q(request_token=""))]

    def __str__(self) -> str:
        return f"{self.application.number} {self.title}"

    @property
    def label(self) -> str:
        return dict(KIND_CHOICES).get(self.kind, self.title)

    def delete(self, *args, **kwargs):
        raise ValidationError("已生成的文书不能删除")
