"""The disclosure catalogue (政府信息公开目录): items an agency publishes on its own initiative
(条例 Art. 19–26), each reviewed for secrecy before publication and published within 20 working
days of being made (Art. 26).

The models hold the records; the rules are in modules named for what they do (``items``,
``review``, ``validity``, ``words``, ``index_numbers``, ``table2``, ``links`` …): an item reaches
``published`` only through ``review.approve_leader``, after a
section head's approval, and the database refuses a published item without both approvals and a
publication date (``item_published_reviewed``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from gongkai.apps.agencies.models import Agency
from gongkai.apps.files import KeptFile, kept_file_path
from gongkai.apps.records import ChangeRecord
from gongkai.core.casework import catalogue as rules


class Category(models.Model):
    """A node of an agency's catalogue tree (national basic categories and the 26 grass-roots
    areas are loadable presets)."""

    agency = models.ForeignKey(Agency, verbose_name="机关", on_delete=models.PROTECT, related_name="categories")
    parent = models.ForeignKey("self", verbose_name="上级分类", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="children")
    name = models.CharField("分类名称", max_length=100)
    code = models.CharField("分类代码", max_length=40, blank=True)
    position = models.PositiveIntegerField("排序", default=0)

    class Meta:
        verbose_name = "目录分类"
        verbose_name_plural = "目录分类"
        ordering = ["agency", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["agency", "parent", "name"], name="category_unique_name")]

    def __str__(self) -> str:
        return self.name


class CatalogueSettings(models.Model):
    """How an agency numbers its items (索引号)."""

    agency = models.OneToOneField(Agency, verbose_name="机关", on_delete=models.PROTECT, related_name="catalogue_settings")
    index_prefix = models.CharField("索引号前缀", max_length=30,
                                    help_text="组织机构代码（9位）、统一社会信用代码（18位）或本地使用的文字前缀")
    index_format = models.CharField("索引号格式", max_length=20, default=rules.DEFAULT_INDEX_FORMAT,
                                    choices=[(k, label) for k, (_, label) in rules.INDEX_FORMATS.items()])
    serial_digits = models.PositiveSmallIntegerField("序号位数", default=rules.DEFAULT_SERIAL_DIGITS)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="设置人", on_delete=models.PROTECT, related_name="+")
    updated = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "目录设置"
        verbose_name_plural = "目录设置"
        constraints = [models.CheckConstraint(condition=Q(serial_digits__gte=1, serial_digits__lte=10),
                                              name="catalogue_settings_serial_digits")]

    def __str__(self) -> str:
        return f"{self.agency} 索引号设置"


class GuideSupplement(models.Model):
    """What an agency adds to its generated disclosure guide (政府信息公开指南): the office's hours,
    an e-mail address, and text of its own (for instance other places it publishes, or how to
    reach the reading room). The rest of the guide comes from the agency's data and the rules
    (``portal.published.guide``). Every change is kept (``GuideSupplementRevision``)."""

    agency = models.OneToOneField(Agency, verbose_name="机关", on_delete=models.PROTECT, related_name="guide_supplement")
    office_hours = models.CharField("办公时间", max_length=100, blank=True,
                                    help_text="例如“工作日上午9:00—12:00，下午13:30—17:00”")
    email = models.EmailField("电子邮箱", blank=True)
    notes = models.TextField("补充说明", blank=True, max_length=5000,
                             help_text="显示在公开指南末尾，每段一行；不支持网页标记")
    disclosure_rules = models.TextField(
        "政府信息公开制度", blank=True, max_length=10000,
        help_text="本机关政府信息公开工作的制度（如主动公开、依申请公开、保密审查、考核评议等制度）及其要点，"
                  "显示在“政府信息公开制度”栏目，每段一行；不支持网页标记")
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="修改人", on_delete=models.PROTECT, related_name="+")
    updated = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "公开指南补充内容"
        verbose_name_plural = "公开指南补充内容"

    def __str__(self) -> str:
        return f"{self.agency} 公开指南补充内容"


class GuideSupplementRevision(ChangeRecord):
    """One change of an agency's guide supplement, with who, when, before and after."""

    supplement = models.ForeignKey(GuideSupplement, verbose_name="补充内容", on_delete=models.PROTECT,
                                   related_name="revisions")
    recorded_model = GuideSupplement

    class Meta:
        verbose_name = "公开指南补充内容修改记录"
        verbose_name_plural = "公开指南补充内容修改记录"
        ordering = ["-at", "-pk"]


class IndexCounter(models.Model):
    """The last serial number an agency gave in a year (locked while a number is drawn)."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="index_counter_unique")]


class Item(models.Model):
    """One item of the catalogue."""

    class State(models.TextChoices):
        DRAFT = "draft", "草稿"
        SECTION_REVIEW = "section_review", "待科室负责人审核"
        LEADER_REVIEW = "leader_review", "待分管领导审签"
        PUBLISHED = "published", "已发布"
        REJECTED = "rejected", "已退回"
        WITHDRAWN = "withdrawn", "已撤下"

    class Kind(models.TextChoices):
        # The rows of table 2 an item counts in (standard.ACTIVE row keys), or neither.
        RULE = "rules", "规章"
        NORMATIVE_DOCUMENT = "normative_documents", "行政规范性文件"
        OTHER = "other", "其他信息"

    class Validity(models.TextChoices):
        NOT_APPLICABLE = "", "不适用"
        IN_FORCE = "in_force", "现行有效"
        REPEALED = "repealed", "已废止"
        EXPIRED = "expired", "已失效"

    agency = models.ForeignKey(Agency, verbose_name="发布机关", on_delete=models.PROTECT, related_name="items")
    category = models.ForeignKey(Category, verbose_name="目录分类", on_delete=models.PROTECT, related_name="items")
    index_number = models.CharField("索引号", max_length=60)
    title = models.CharField("标题", max_length=300)
    summary = models.TextField("内容概述", blank=True)
    body = models.TextField("正文", blank=True)
    document_number = models.CharField("文号", max_length=100, blank=True)
    publisher = models.CharField("发布机构", max_length=100)
    made_on = models.DateField("生成日期", help_text="信息制作或者变更之日；应自此日起20个工作日内公开（《条例》第二十六条）")
    written_on = models.DateField("成文日期", null=True, blank=True, help_text="公文落款的日期（签发日期）；不是公文的可不填")
    topic = models.CharField("主题分类", max_length=2, choices=rules.TOPICS, blank=True,
                             help_text="国务院政府信息公开目录的主题分类")
    interprets = models.ForeignKey("self", verbose_name="解读的政策文件", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="interpretations",
                                   help_text="本信息是政策解读时，所解读的已发布的政策文件")
    published_on = models.DateField("发布日期", null=True, blank=True)
    due_on = models.DateField("公开期限", null=True, blank=True)
    due_provisional = models.BooleanField("期限为暂定", default=False,
                                          help_text="期限跨越尚未录入国务院放假安排的年度，按周一至周五暂计")
    kind = models.CharField("信息类别", max_length=30, choices=Kind.choices, default=Kind.OTHER)
    validity = models.CharField("有效性", max_length=20, choices=Validity.choices, blank=True)
    effective_on = models.DateField("施行日期", null=True, blank=True)
    repealed_on = models.DateField("废止或失效日期", null=True, blank=True)
    channels = models.JSONField("同时发布的渠道", default=list, blank=True)
    state = models.CharField("状态", max_length=20, choices=State.choices, default=State.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="起草人", on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField("创建时间", auto_now_add=True)
    updated = models.DateTimeField("更新时间", auto_now=True)

    # The review (set only by services): who submitted, the two approvals of this round.
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="提交人", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    section_approval = models.ForeignKey("ReviewStep", verbose_name="科室负责人审核", null=True, blank=True,
                                         on_delete=models.PROTECT, related_name="+")
    leader_approval = models.ForeignKey("ReviewStep", verbose_name="分管领导审签", null=True, blank=True,
                                        on_delete=models.PROTECT, related_name="+")
    # Sensitive words an approver allowed, with the reason (submission is blocked otherwise).
    words_allowed = models.JSONField("经审核保留的敏感词", default=list, blank=True)
    words_allowed_reason = models.TextField("保留敏感词的理由", blank=True)
    withdrawn_on = models.DateField("撤下日期", null=True, blank=True)

    class Meta:
        verbose_name = "主动公开信息"
        verbose_name_plural = "主动公开信息"
        ordering = ["-published_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "index_number"], name="item_unique_index_number"),
            # Never published unreviewed: both approvals and the publication date, or not published.
            models.CheckConstraint(
                condition=~Q(state__in=["published", "withdrawn"])
                | Q(published_on__isnull=False, section_approval__isnull=False, leader_approval__isnull=False),
                name="item_published_reviewed",
            ),
        ]
        indexes = [
            # The portal's lists, newest first: the id too, so that a page's ids come from the
            # index alone however deep the page (portal.published.catalogue_page).
            models.Index(fields=["state", "category", "-published_on", "-id"], name="item_catalogue_list"),
            models.Index(fields=["agency", "state", "-published_on", "-id"], name="item_agency_list"),
            models.Index(fields=["agency", "state", "due_on"], name="item_due"),
            models.Index(fields=["agency", "state", "topic", "-published_on", "-id"], name="item_topic_list"),
        ]

    def __str__(self) -> str:
        return f"{self.index_number} {self.title}"

    @property
    def editable(self) -> bool:
        return self.state in (self.State.DRAFT, self.State.REJECTED)

    @property
    def late(self) -> bool:
        """Published after its deadline (条例 Art. 26)."""
        return bool(self.published_on and self.due_on and self.published_on > self.due_on)

    @property
    def channel_labels(self) -> list[str]:
        return [rules.CHANNEL_LABELS.get(c, c) for c in self.channels]


class ReviewStep(models.Model):
    """One decision of the review: a section head's or the leader's approval with the secrecy
    review statement (保密审查意见), or a rejection with its reason. Never deleted."""

    class Level(models.TextChoices):
        SECTION = "section", "科室负责人审核"
        LEADER = "leader", "分管领导审签"

    class Decision(models.TextChoices):
        APPROVE = "approve", "同意"
        REJECT = "reject", "退回"

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="reviews")
    level = models.CharField("审核层级", max_length=10, choices=Level.choices)
    decision = models.CharField("审核结论", max_length=10, choices=Decision.choices)
    statement = models.TextField("保密审查意见", blank=True)
    reason = models.TextField("退回理由", blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="审核人", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField("审核时间", auto_now_add=True)

    class Meta:
        verbose_name = "审核记录"
        verbose_name_plural = "审核记录"
        ordering = ["item", "at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(decision="approve") | ~Q(statement=""), name="review_approval_statement"),
            models.CheckConstraint(condition=~Q(decision="reject") | ~Q(reason=""), name="review_rejection_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()}：{self.get_decision_display()}"


class ItemEvent(ChangeRecord):
    """Every change to an item: who, when, why, before and after. Never deleted."""

    class Event(models.TextChoices):
        CREATE = "create", "起草"
        EDIT = "edit", "修改"
        ATTACH = "attach", "上传附件"
        ALLOW_WORDS = "allow_words", "审核保留敏感词"
        SUBMIT = "submit", "提交审核"
        APPROVE_SECTION = "approve_section", "科室负责人审核同意"
        PUBLISH = "publish", "分管领导审签并发布"
        REJECT = "reject", "退回修改"
        WITHDRAW = "withdraw", "撤下"
        VALIDITY = "validity", "有效性变更"

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="events")
    event = models.CharField("事项", max_length=20, choices=Event.choices)
    recorded_model = Item

    class Meta:
        verbose_name = "目录信息记录"
        verbose_name_plural = "目录信息记录"
        ordering = ["item", "at", "pk"]


_attachment_path = kept_file_path  # named by migration 0001


class ItemAttachment(KeptFile):
    """A file published with an item; never deleted."""

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="attachments")

    def storage_folder(self) -> str:
        return f"catalogue/{self.item.agency_id}"

    class Meta:
        verbose_name = "目录信息附件"
        verbose_name_plural = "目录信息附件"
        ordering = ["item", "uploaded_at", "pk"]


class ValidityChange(models.Model):
    """The validity history of an item: issued (in force from ``on``, the date it takes effect),
    then at most one end — repealed or expired on ``on``. The item's validity is the latest."""

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="validity_changes")
    validity = models.CharField("有效性", max_length=20,
                                choices=[c for c in Item.Validity.choices if c[0]])
    on = models.DateField("日期")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="经办人", on_delete=models.PROTECT, related_name="+")
    reason = models.TextField("理由或依据", blank=True)
    at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "有效性变更"
        verbose_name_plural = "有效性变更"
        ordering = ["item", "on", "pk"]
        indexes = [models.Index(fields=["validity", "on"], name="validity_change_on")]
        constraints = [
            # One issue and one end per item: the history counts table 2 without double counting.
            models.UniqueConstraint(fields=["item"], condition=Q(validity="in_force"), name="validity_one_issue"),
            models.UniqueConstraint(fields=["item"], condition=~Q(validity="in_force"), name="validity_one_end"),
        ]

    def __str__(self) -> str:
        return f"{self.get_validity_display()} {self.on.isoformat()}"


class WordList(models.Model):
    """An office's own list of wrong forms (错误写法 → 正确写法) or sensitive words, one entry a
    line, checked with the defaults before an item goes to review."""

    agency = models.ForeignKey(Agency, verbose_name="机关", on_delete=models.PROTECT, related_name="word_lists")
    kind = models.CharField("类别", max_length=20, choices=list(rules.WORD_KINDS.items()))
    entries = models.TextField("词条", blank=True,
                               help_text="每行一条；错误表述写作“错误写法 → 正确写法”，敏感词每行一个词；# 之后为说明")
    use_defaults = models.BooleanField("同时使用系统默认词表", default=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="维护人", on_delete=models.PROTECT, related_name="+")
    updated = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "错敏词表"
        verbose_name_plural = "错敏词表"
        constraints = [models.UniqueConstraint(fields=["agency", "kind"], name="word_list_unique_kind")]

    def __str__(self) -> str:
        return f"{self.agency} {self.get_kind_display()}"

    def word_rules(self) -> list[rules.WordRule]:
        return rules.parse_word_lines(self.entries, self.kind)


class LinkCheck(models.Model):
    """The result of fetching one link of an item (``check_links``)."""

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="link_checks")
    url = models.CharField("链接", max_length=2000)
    ok = models.BooleanField("可以访问")
    status = models.PositiveSmallIntegerField("HTTP 状态码", null=True, blank=True)
    error = models.CharField("问题", max_length=300, blank=True)
    checked_at = models.DateTimeField("检查时间", auto_now_add=True)

    class Meta:
        verbose_name = "链接检查"
        verbose_name_plural = "链接检查"
        ordering = ["-checked_at", "pk"]
        indexes = [models.Index(fields=["item", "-checked_at"], name="link_check_item")]

    def __str__(self) -> str:
        return f"{self.url} {'正常' if self.ok else '不可访问'}"


class SettingChange(ChangeRecord):
    """A change of an agency's catalogue settings: its index-number settings, a word list, or a
    category added (by hand or with a preset). Who, when, why, before and after; never deleted.
    ``user`` is empty only for a preset loaded from the command line (the operator)."""

    class Setting(models.TextChoices):
        INDEX_NUMBERS = "index_numbers", "索引号设置"
        WRONG_WORDS = rules.WRONG, "错误表述词表"
        SENSITIVE_WORDS = rules.SENSITIVE, "敏感词表"
        CATEGORY = "category", "目录分类"

    agency = models.ForeignKey(Agency, verbose_name="机关", on_delete=models.PROTECT, related_name="catalogue_setting_changes")
    setting = models.CharField("设置", max_length=20, choices=Setting.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="经办人", null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "目录设置修改记录"
        verbose_name_plural = "目录设置修改记录"
        ordering = ["agency", "-at", "-pk"]

    @property
    def recorded_model(self):
        return {"index_numbers": CatalogueSettings, "category": Category}.get(self.setting, WordList)
