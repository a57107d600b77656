"""What administration keeps of staff accounts beyond Django's user: the agency an account was
made in, whether its password is a temporary one to be changed at the next login, and a record of
every change made to accounts and roles (who, when, what). Accounts are never deleted: cases keep
who registered, handled and approved them; an account leaving is deactivated."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from gongkai.apps.agencies.models import Agency


class StaffAccount(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name="账号", on_delete=models.CASCADE,
                                related_name="staff_account")
    agency = models.ForeignKey(Agency, verbose_name="所属机关", on_delete=models.PROTECT, related_name="staff_accounts")
    must_change_password = models.BooleanField(
        "须修改密码", default=False, help_text="初始密码或重置后的临时密码：登录后须先修改密码才能办理")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="创建人", on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "人员账号"
        verbose_name_plural = "人员账号"

    def __str__(self) -> str:
        return f"{self.user} · {self.agency}"


class StaffChange(models.Model):
    """One change to a staff account or its roles. Never changed or deleted."""

    class Kind(models.TextChoices):
        CREATED = "created", "新建账号"
        ROLES = "roles", "修改角色"
        DETAILS = "details", "修改姓名或邮箱"
        DEACTIVATED = "deactivated", "停用账号"
        REACTIVATED = "reactivated", "恢复账号"
        PASSWORD_RESET = "password_reset", "重置密码"

    account = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="账号", on_delete=models.PROTECT,
                                related_name="staff_changes")
    agency = models.ForeignKey(Agency, verbose_name="机关", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+")
    kind = models.CharField("操作", max_length=20, choices=Kind.choices)
    detail = models.CharField("内容", max_length=500, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "人员账号修改记录"
        verbose_name_plural = "人员账号修改记录"
        ordering = ["-at", "-pk"]
