"""An account whose password is an initial or reset one (``StaffAccount.must_change_password``)
does nothing until its holder sets their own: every staff page redirects to the password page.

The flag is read from the database at login (or on a session's first page) and kept in it (``SESSION_KEY``), so that a
staff page costs no query for it. That is safe because the flag is only ever set together with a
new password: setting a password changes the account's session hash, which ends every session
opened before (Django's ``SessionAuthenticationMiddleware`` behaviour), so the next login reads the
flag afresh; changing one's own password clears it in the database and in the session."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse

from .services import must_change_password

ALLOWED = ("password_change", "password_change_done", "logout", "login")
SESSION_KEY = "gongkai_must_change_password"


def session_must_change_password(request) -> bool:
    """Whether the signed-in person must change their password, read once per session."""
    session = getattr(request, "session", None)
    if session is None:
        return must_change_password(request.user)
    if SESSION_KEY not in session:
        session[SESSION_KEY] = must_change_password(request.user)
    return session[SESSION_KEY]


def remember_password_flag(sender, request, user, **kwargs) -> None:
    """At login (``user_logged_in``): read the flag into the new session."""
    session = getattr(request, "session", None) if request is not None else None
    if session is not None:
        session[SESSION_KEY] = must_change_password(user)


def forget_password_flag(request) -> None:
    """The person set their own password: the session stops asking for it."""
    session = getattr(request, "session", None)
    if session is not None:
        session[SESSION_KEY] = False


class PasswordChangeFirst:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.path_info.startswith("/public/"):
            allowed = {reverse(name) for name in ALLOWED}
            if request.path_info not in allowed and session_must_change_password(request):
                messages.warning(request, "您的密码是管理员设置的初始密码或临时密码，请先修改密码。")
                return redirect("password_change")
        return self.get_response(request)
