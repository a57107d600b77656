"""Accounts that stand for the system rather than a person — the online intake (网上申请系统),
the retention erasure — under which their records are kept. They can never log in: inactive, no
usable password."""

from __future__ import annotations

from django.contrib.auth import get_user_model


def system_account(username: str, name: str):
    """The account called ``username`` (shown as ``name``), created on first use."""
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=username, defaults={"last_name": name, "first_name": "", "is_active": False})
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user
