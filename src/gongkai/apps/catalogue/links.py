"""Link checking (``check_links``): fetch the links written in items and record each result.

The checker fetches from the server, so an item's link could make it reach what only the server
reaches (server-side request forgery). Every connection — the first and each redirect — goes
to an address checked when the connection is made: a host that resolves to a loopback, private,
shared, link-local, multicast, reserved or unspecified address (IPv4 or IPv6, IPv4-mapped IPv6
included, whatever the spelling of the host: ``2130706433``, ``0177.0.0.1``, ``[::ffff:127.0.0.1]``)
is refused unless the operator allows it: ``GONGKAI_LINK_CHECK_ALLOW_PRIVATE`` (every such
address) or ``GONGKAI_LINK_CHECK_PRIVATE_HOSTS`` (host names, e.g. the office's intranet
portal). Proxies of the environment are not used, so the address checked is the one connected."""

from __future__ import annotations

import http.client
import ipaddress
import socket
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Max

from gongkai.core.casework import catalogue as rules

from .models import Item, LinkCheck

LINK_TIMEOUT_SECONDS = 10
USER_AGENT = "Gongkai-LinkCheck/1.0 (+catalogue link check)"  # headers are Latin-1: ASCII only


class RefusedAddress(OSError):
    """The host resolves to an address the checker does not fetch."""

    def __init__(self, host: str, addresses: list[str]):
        self.host, self.addresses = host, addresses
        super().__init__(f"地址指向本机、内网或保留地址（{host} → {'、'.join(addresses)}），未检查；确需检查内网链接的，"
                         "由运维人员在设置 GONGKAI_LINK_CHECK_PRIVATE_HOSTS 中列出该主机")


def refused_address(address: str) -> bool:
    """Is ``address`` (an IP address as text) one the checker must not reach?"""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return (ip.is_loopback or ip.is_private or ip.is_link_local or ip.is_multicast or ip.is_reserved
            or ip.is_unspecified or not ip.is_global)


def private_allowed(host: str) -> bool:
    if getattr(settings, "GONGKAI_LINK_CHECK_ALLOW_PRIVATE", False):
        return True
    allowed = {h.strip().lower() for h in getattr(settings, "GONGKAI_LINK_CHECK_PRIVATE_HOSTS", ()) if h.strip()}
    return host.strip("[]").lower() in allowed


def checked_connection(address, timeout=socket._GLOBAL_DEFAULT_TIMEOUT, source_address=None, **_):
    """``socket.create_connection`` to an address checked here: the host is resolved once, every
    address it resolves to is checked, and the socket connects to those addresses only."""
    host, port = address
    infos = socket.getaddrinfo(host, port, 0, socket.SOCK_STREAM)
    if not private_allowed(host):
        refused = sorted({info[4][0] for info in infos if refused_address(info[4][0])})
        if refused:
            raise RefusedAddress(host, refused)
    error: OSError | None = None
    for family, kind, proto, _, sockaddr in infos:
        sock = socket.socket(family, kind, proto)
        try:
            if timeout is not socket._GLOBAL_DEFAULT_TIMEOUT:
                sock.settimeout(timeout)
            if source_address:
                sock.bind(source_address)
            sock.connect(sockaddr)
            return sock
        except OSError as exc:
            error = exc
            sock.close()
    raise error or OSError(f"无法解析主机 {host}")


class _CheckedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._create_connection = checked_connection


class _CheckedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._create_connection = checked_connection


class _CheckedHTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req):
        return self.do_open(_CheckedHTTPConnection, req)


class _CheckedHTTPSHandler(urllib.request.HTTPSHandler):
    def https_open(self, req):
        return self.do_open(_CheckedHTTPSConnection, req, context=self._context)


class _HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects to http and https only (never file://, ftp:// or anything else); each
    hop connects through the checked connections again."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if urllib.parse.urlsplit(newurl).scheme.lower() not in ("http", "https"):
            raise urllib.error.URLError(f"重定向到不允许的地址：{newurl}")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}), _CheckedHTTPHandler, _CheckedHTTPSHandler,
                                      _HttpOnlyRedirects)


def open_checked(request: urllib.request.Request, timeout: float):
    """Open ``request`` through the checked connections (http and https only, every address and
    redirect checked): every fetch the server makes goes through here (the link check, the
    supervising office's report collector)."""
    return _OPENER.open(request, timeout=timeout)


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
            with open_checked(request, timeout) as response:
                if method == "GET":
                    response.read(1024)
                return LinkResult(url, True, response.status, "")
        except urllib.error.HTTPError as exc:  # 3xx here: a redirect to file:// or the like, or a loop
            problem = "重定向到不允许的地址或重定向过多" if 300 <= exc.code < 400 else "服务器返回"
            result = LinkResult(url, False, exc.code, f"{problem} {exc.code}")
        except (urllib.error.URLError, TimeoutError, ConnectionError, http.client.HTTPException,
                ValueError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            if isinstance(reason, RefusedAddress):
                return LinkResult(url, False, None, str(reason)[:300])
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
