"""Link checking (``check_links``): fetch the links written in items and record each result."""

from __future__ import annotations

import http.client
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from django.db.models import Max

from gongkai.core import catalogue as rules

from .models import Item, LinkCheck

LINK_TIMEOUT_SECONDS = 10
USER_AGENT = "Gongkai-LinkCheck/1.0 (+catalogue link check)"  # headers are Latin-1: ASCII only


class _HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects to http and https only (never file://, ftp:// or anything else)."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if urllib.parse.urlsplit(newurl).scheme.lower() not in ("http", "https"):
            raise urllib.error.URLError(f"重定向到不允许的地址：{newurl}")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


_OPENER = urllib.request.build_opener(_HttpOnlyRedirects)


@dataclass(frozen=True)
class LinkResult:
    url: str
    ok: bool
    status: int | None
    error: str


def fetch_link(url: str, timeout: float = LINK_TIMEOUT_SECONDS) -> LinkResult:
    """Whether ``url`` answers: HEAD first, then GET (some servers refuse HEAD)."""
    if urllib.parse.urlsplit(url).scheme.lower() not in ("http", "https"):
        return LinkResult(url, False, None, "只检查 http 和 https 链接，该地址不应出现在公开信息中")
    result = None
    for method in ("HEAD", "GET"):
        request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT})
        try:
            with _OPENER.open(request, timeout=timeout) as response:
                if method == "GET":
                    response.read(1024)
                return LinkResult(url, True, response.status, "")
        except urllib.error.HTTPError as exc:  # 3xx here: a redirect to file:// or the like, or a loop
            problem = "重定向到不允许的地址或重定向过多" if 300 <= exc.code < 400 else "服务器返回"
            result = LinkResult(url, False, exc.code, f"{problem} {exc.code}")
        except (urllib.error.URLError, TimeoutError, ConnectionError, http.client.HTTPException,
                ValueError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            result = LinkResult(url, False, None, f"无法访问：{reason}"[:300])
    return result


def item_links(item: Item) -> list[str]:
    return rules.extract_links("\n".join((item.summary, item.body)))


def check_item_links(item: Item, timeout: float = LINK_TIMEOUT_SECONDS) -> list[LinkCheck]:
    """Fetch the item's own links and record each result."""
    return [LinkCheck.objects.create(item=item, url=r.url[:2000], ok=r.ok, status=r.status, error=r.error)
            for r in (fetch_link(url, timeout) for url in item_links(item))]


def latest_link_checks(agencies):
    """The latest result of each link of the agencies' items, failures first."""
    scope = LinkCheck.objects.filter(item__agency__in=agencies)
    latest = scope.order_by().values("item", "url").annotate(last=Max("pk")).values("last")
    return (LinkCheck.objects.filter(pk__in=latest).select_related("item", "item__agency")
            .order_by("ok", "item_id", "url"))
