"""An account whose password is an initial or reset one (``StaffAccount.must_change_password``)
does nothing until its holder sets their own: every staff page redirects to the password page."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse

from .services import must_change_password

ALLOWED = ("password_change", "password_change_done", "logout", "login")


class PasswordChangeFirst:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.path_info.startswith("/public/"):
            allowed = {reverse(name) for name in ALLOWED}
            if request.path_info not in allowed and must_change_password(user):
                messages.warning(request, "您的密码是管理员设置的初始密码或临时密码，请先修改密码。")
                return redirect("password_change")
        return self.get_response(request)
