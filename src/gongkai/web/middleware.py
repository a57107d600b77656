"""Staff pages are not kept by browsers or proxies: every response outside the public portal and
the static files says ``Cache-Control: no-store`` (and ``Pragma: no-cache`` for HTTP/1.0 caches),
so that applicants' personal data on a case page, a list or a letter is not left in a shared
computer's cache or a proxy (个人信息保护法 Art. 51: technical measures against leaks)."""

from __future__ import annotations

from django.conf import settings

PUBLIC_PREFIXES = ("/public/",)


def _static_prefix() -> str:
    url = settings.STATIC_URL or "static/"
    return url if url.startswith("/") else "/" + url


class NoStoreForStaffPages:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path_info.startswith((*PUBLIC_PREFIXES, _static_prefix())):
            response["Cache-Control"] = "no-store"
            response["Pragma"] = "no-cache"
        return response
