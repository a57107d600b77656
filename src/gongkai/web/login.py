"""The staff login page: Django's, with the demo's accounts guide while ``gongkai-manage demo``
serves (``settings.DEMO_ACCOUNTS``, None otherwise: a real installation shows no accounts)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import views


class LoginView(views.LoginView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["demo_accounts"] = getattr(settings, "DEMO_ACCOUNTS", None)
        return context
