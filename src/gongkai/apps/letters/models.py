"""Letters to applicants: each agency's settings and adjusted templates, and every letter issued.

The texts, legal bases and placeholders are the core's (``gongkai.core.letters``); an office
adjusts a kind's title and body as a new ``LetterTemplate`` version (the old ones stay), and
every generated letter is kept as an ``IssuedLetter`` with its DOCX bytes and their SHA-256.
Nothing here is ever deleted.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from gongkai.apps.agencies.models import Agency
from gongkai.apps.cases.models import Application
from gongkai.core import letters

KIND_CHOICES = [(k.key, k.label) for k in letters.KINDS.values()]


class LetterSettings(models.Model):
    """What an agency's letters say about the agency itself (filled in by its approver)."""

    agency = models.OneToOneField(Agency, verbose_name="机关", on_delete=models.PROTECT, related_name="letter_settings")
    review_body = models.CharField("行政复议机关", max_length=100, help_text="如：某县人民政府")
    court = models.CharField("管辖的人民法院", max_length=100, help_text="如：某县人民法院")
    number_prefix = models.CharField("文号前缀", max_length=40, blank=True,
                                     help_text="印在“〔2026〕第0042号”之前，如“某财信公开告字”")
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
    recipient = models.CharField("收件人", max_length=200)
    letter_date = models.DateField("文书日期")
    template_version = models.PositiveIntegerField("模板版本", default=0, help_text="0 为系统默认文本")
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="生成人", on_delete=models.PROTECT,
                                  related_name="+")
    issued_at = models.DateTimeField("生成时间", auto_now_add=True)
    content = models.BinaryField("文件内容（DOCX）")
    sha256 = models.CharField("SHA-256", max_length=64)
    filename = models.CharField("文件名", max_length=200)

    class Meta:
        verbose_name = "已生成文书"
        verbose_name_plural = "已生成文书"
        ordering = ["application", "issued_at", "pk"]
        indexes = [models.Index(fields=["application", "kind"], name="issued_letter_kind")]

    def __str__(self) -> str:
        return f"{self.application.number} {self.title}"

    @property
    def label(self) -> str:
        return dict(KIND_CHOICES).get(self.kind, self.title)

    def delete(self, *args, **kwargs):
        raise ValidationError("已生成的文书不能删除")
