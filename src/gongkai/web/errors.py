"""Error pages in Chinese: the public layout under ``/public/``, the staff layout elsewhere.

Django calls these for 400, 403, 404 and 500 (``handler400`` … in ``gongkai.web.urls``), and the
request-size guard (``gongkai.web.security``) for 413. Nothing technical is shown: the traceback
of a 500 goes to the log (settings ``LOGGING``), never to the page. The 500 page is rendered
without the request's context processors, so that it renders even when the database is down.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.views.decorators.csrf import requires_csrf_token

PUBLIC_PREFIX = "/public/"

PAGES = {
    400: ("请求有误", "您提交的内容无法处理，请检查后重试。"),
    403: ("无权操作", "您没有权限进行此项操作。"),
    404: ("页面不存在", "您要找的页面不存在，或者您无权查看。"),
    413: ("提交的内容过大", "提交的内容超过了本网站允许的大小，未被接收。请减小附件后重试。"),
    500: ("系统出现错误", "系统处理您的请求时出现错误，已记录，工作人员将尽快处理。请稍后重试。"),
}


def is_public(request) -> bool:
    return request is not None and request.path.startswith(PUBLIC_PREFIX)


def error_page(request, status: int, detail: str = "", with_context: bool = True) -> HttpResponse:
    """The page of ``status`` in the layout of the path; ``detail`` replaces the general message
    (only messages written for people are passed: permission and bad-parameter messages)."""
    title, message = PAGES[status]
    template = "errors/public.html" if is_public(request) else "errors/staff.html"
    context = {"status": status, "title": title, "message": detail or message}
    html = render_to_string(template, context, request if with_context else None)
    return HttpResponse(html, status=status)


def _message(exception) -> str:
    """The Chinese message of a PermissionDenied or BadRequest raised with one, else ''."""
    text = str(exception) if exception is not None and exception.args else ""
    return text if any("\u4e00" <= ch <= "\u9fff" for ch in text) else ""


@requires_csrf_token
def bad_request(request, exception):
    return error_page(request, 400, _message(exception))


@requires_csrf_token
def permission_denied(request, exception):
    return error_page(request, 403, _message(exception))


@requires_csrf_token
def page_not_found(request, exception):
    return error_page(request, 404)


@requires_csrf_token
def server_error(request):
    return error_page(request, 500, with_context=False)
