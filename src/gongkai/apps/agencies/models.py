"""Agencies in a hierarchy (province, city, county, township/street, and departments) and the
staff of each with a role. A person sees and changes only their own agency's cases; a
supervisor (上级主管) sees its agency's whole subtree, read-only.

The subtree is kept as a materialised path (``/1/7/42/``), so "this agency and all below it" is
one indexed prefix query on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction

from gongkai.core.casework.remedy import AgencyKind
from gongkai.core.casework.workdays import CORRECTION_PERIOD_WORKING_DAYS


class Agency(models.Model):
    class Kind(models.TextChoices):
        PROVINCE = "province", "省级"
        CITY = "city", "市级"
        COUNTY = "county", "县级"
        TOWNSHIP = "township", "乡镇、街道"
        DEPARTMENT = "department", "政府部门"

    name = models.CharField("机关名称", max_length=100)
    kind = models.CharField("类别", max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", verbose_name="上级机关", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    credit_code = models.CharField("统一社会信用代码", max_length=18, blank=True)
    vertical = models.BooleanField(
        "实行垂直领导的部门", default=False,
        help_text="税务、海关、金融监管、国家安全等实行垂直领导的部门：行政复议机关为上一级主管部门（《行政复议法》第二十七条）")
    correction_working_days = models.PositiveSmallIntegerField(
        "补正期限（工作日）", default=CORRECTION_PERIOD_WORKING_DAYS,
        help_text="给申请人补正的合理期限，自告知补正之日的次日起按工作日计算（《条例》第三十条）")
    path = models.CharField("层级路径", max_length=500, editable=False, db_index=True, default="")
    # The order the office sets among the agencies under one parent (smaller first); by default
    # the government's departments come before its townships and streets (``default_position``).
    position = models.PositiveIntegerField("排列顺序", default=0,
                                           help_text="同一上级机关下的排列顺序，数字小的在前")
    # The path in display order: each level's position and id, zero-padded, so that ordering by
    # it lists an agency before its children and siblings by their position ("/1/10/" no longer
    # sorts before "/1/2/").
    order_path = models.CharField("排序路径", max_length=800, editable=False, db_index=True, default="")
    active = models.BooleanField("在用", default=True)

    class Meta:
        verbose_name = "机关"
        verbose_name_plural = "机关"
        ordering = ["order_path"]
        constraints = [models.UniqueConstraint(fields=["parent", "name"], name="agency_unique_name_under_parent")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk is not None and ancestor.pk == self.pk:
                raise ValidationError({"parent": "上级机关不能是本机关或其下级机关"})
            ancestor = ancestor.parent

    @staticmethod
    def default_position(kind: str) -> int:
        """Where a new agency stands among its siblings unless the office says otherwise:
        governments first, then departments, then townships and streets."""
        return {Agency.Kind.DEPARTMENT: 1000, Agency.Kind.TOWNSHIP: 2000}.get(kind, 0)

    def order_segment(self) -> str:
        return f"{self.position:06d}.{self.pk:09d}/"

    def save(self, *args, **kwargs) -> None:
        if self._state.adding and not self.position:
            self.position = Agency.default_position(self.kind)
        with transaction.atomic():
            super().save(*args, **kwargs)
            parent = Agency.objects.get(pk=self.parent_id) if self.parent_id else None
            path = f"{parent.path if parent else '/'}{self.pk}/"
            order_path = f"{parent.order_path if parent else '/'}{self.order_segment()}"
            if path != self.path or order_path != self.order_path:
                old, old_order = self.path, self.order_path
                Agency.objects.filter(pk=self.pk).update(path=path, order_path=order_path)
                self.path, self.order_path = path, order_path
                if old:  # moved or reordered: the subtree follows
                    for child in Agency.objects.filter(path__startswith=old).exclude(pk=self.pk):
                        Agency.objects.filter(pk=child.pk).update(
                            path=path + child.path[len(old):],
                            order_path=order_path + child.order_path[len(old_order):])

    def remedy_kind(self) -> AgencyKind:
        """What the law of review and litigation needs to know of this agency (core.remedy)."""
        if self.vertical:
            return AgencyKind.VERTICAL_DEPARTMENT
        if self.kind == Agency.Kind.DEPARTMENT:
            level = self.parent.kind if self.parent is not None else Agency.Kind.COUNTY
            return {Agency.Kind.PROVINCE: AgencyKind.PROVINCE_DEPARTMENT,
                    Agency.Kind.CITY: AgencyKind.CITY_DEPARTMENT}.get(level, AgencyKind.COUNTY_DEPARTMENT)
        return {Agency.Kind.PROVINCE: AgencyKind.PROVINCE_GOVERNMENT, Agency.Kind.CITY: AgencyKind.CITY_GOVERNMENT,
                Agency.Kind.COUNTY: AgencyKind.COUNTY_GOVERNMENT, Agency.Kind.TOWNSHIP: AgencyKind.TOWNSHIP}[self.kind]

    def subtree(self) -> models.QuerySet["Agency"]:
        """This agency and every agency below it."""
        return Agency.objects.filter(path__startswith=self.path)


class Membership(models.Model):
    """A person's role in an agency."""

    class Role(models.TextChoices):
        REGISTRAR = "registrar", "登记"
        HANDLER = "handler", "承办"
        APPROVER = "approver", "审核/负责人"
        SUPERVISOR = "supervisor", "上级主管（只读）"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="人员", on_delete=models.CASCADE, related_name="memberships")
    agency = models.ForeignKey(Agency, verbose_name="机关", on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField("角色", max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = "人员角色"
        verbose_name_plural = "人员角色"
        constraints = [models.UniqueConstraint(fields=["user", "agency", "role"], name="membership_unique_role")]

    def __str__(self) -> str:
        return f"{self.user} · {self.agency} · {self.get_role_display()}"


def has_role(user, agency: Agency, *roles: str) -> bool:
    return Membership.objects.filter(user=user, agency=agency, role__in=roles).exists()
