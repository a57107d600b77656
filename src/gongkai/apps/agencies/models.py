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
    active = models.BooleanField("在用", default=True)

    class Meta:
        verbose_name = "机关"
        verbose_name_plural = "机关"
        ordering = ["path"]
        constraints = [models.UniqueConstraint(fields=["parent", "name"], name="agency_unique_name_under_parent")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk is not None and ancestor.pk == self.pk:
                raise ValidationError({"parent": "上级机关不能是本机关或其下级机关"})
            ancestor = ancestor.parent

    def save(self, *args, **kwargs) -> None:
        with transaction.atomic():
            super().save(*args, **kwargs)
            path = f"{self.parent.path if self.parent else '/'}{self.pk}/"
            if path != self.path:
                old = self.path
                Agency.objects.filter(pk=self.pk).update(path=path)
                self.path = path
                if old:  # moved: the subtree follows
                    for child in Agency.objects.filter(path__startswith=old).exclude(pk=self.pk):
                        Agency.objects.filter(pk=child.pk).update(path=path + child.path[len(old):])

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
