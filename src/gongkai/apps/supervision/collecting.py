"""The polite collector: fetch an annual report from a web address.

- http and https only; every connection and redirect goes through the catalogue's checked
  connections (``catalogue.links.open_checked``): loopback, private and reserved addresses are
  refused unless the operator allows them (``GONGKAI_LINK_CHECK_ALLOW_PRIVATE`` /
  ``GONGKAI_LINK_CHECK_PRIVATE_HOSTS``, one policy for everything the server fetches);
- one request at a time per host, across every worker on every machine (a lock per host in the
  queue's Redis), at least ``GONGKAI_COLLECT_DELAY_MS`` apart;
- a User-Agent naming Gongkai; the host's robots.txt is read first and obeyed;
- a time limit for the whole answer (``GONGKAI_COLLECT_TIMEOUT`` seconds) and a size limit
  (``GONGKAI_COLLECT_MAX_BYTES``, checked on Content-Length and again while reading).

``fetch(url)`` returns the bytes and a file suffix for the readers, raises ``FetchError`` (a
code and a Chinese message) for a final failure, and ``Transient`` for one worth trying again
later (the server answered 429 or 5xx, or the connection failed).
"""

from __future__ import annotations

import http.client
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
import urllib.robotparser
from contextlib import contextmanager
from dataclasses import dataclass
from email.message import Message
from pathlib import PurePosixPath
from typing import Iterator

from django.conf import settings

from gongkai.apps.catalogue.links import RefusedAddress, open_checked
from gongkai.core.report.parsing import SUPPORTED_SUFFIXES

USER_AGENT = "Gongkai-Collector/1.0 (+Gongkai government information disclosure annual report collection)"
ROBOTS_AGENT = "Gongkai-Collector"
ROBOTS_CACHE_SECONDS = 3600

MESSAGES = {
    "bad_address": "网址无效或不是 http/https 地址",
    "refused_address": "网址指向本机、内网或保留地址，未采集",
    "robots_disallowed": "该网站的 robots.txt 不允许采集此网址",
    "http_error": "服务器返回错误",
    "fetch_timeout": "下载超时",
    "too_large": "文件太大",
    "fetch_failed": "无法下载",
    "host_busy": "该网站正被其他任务采集，稍后重试",
}

CONTENT_TYPES = {
    "application/pdf": ".pdf",
    "text/html": ".html",
    "application/xhtml+xml": ".html",
    "text/plain": ".txt",
    "text/markdown": ".md",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
    "application/msword": ".doc",
    "application/rtf": ".rtf",
    "application/vnd.oasis.opendocument.text": ".odt",
}


class FetchError(Exception):
    def __init__(self, code: str, detail: str = ""):
        self.code, self.detail = code, detail
        super().__init__(self.message)

    @property
    def message(self) -> str:
        text = MESSAGES[self.code]
        return f"{text}：{self.detail}" if self.detail else text


class Transient(Exception):
    """A failure worth another try later (the Celery task retries with a growing delay)."""

    def __init__(self, code: str, detail: str = ""):
        self.code, self.detail = code, detail
        super().__init__(f"{MESSAGES[code]}：{detail}" if detail else MESSAGES[code])

    @property
    def message(self) -> str:
        return str(self)


@dataclass(frozen=True)
class Fetched:
    url: str
    data: bytes
    suffix: str


def host_of(url: str) -> str:
    return (urllib.parse.urlsplit(url).netloc or url).lower()


def valid_address(url: str) -> bool:
    parts = urllib.parse.urlsplit(url.strip())
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


@contextmanager
def host_turn(host: str) -> Iterator[None]:
    """This worker's turn at ``host``: nobody else's request to it runs meanwhile, and the next
    starts at least the delay after this one ended."""
    from gongkai.web.queue import redis_client

    client = redis_client()
    delay_ms = int(settings.GONGKAI_COLLECT_DELAY_MS)
    lock = client.lock(f"gongkai:collect:lock:{host}", timeout=int(settings.GONGKAI_COLLECT_TIMEOUT) * 3 + 30,
                       blocking_timeout=int(settings.GONGKAI_COLLECT_TIMEOUT) * 4 + 60)
    if not lock.acquire():
        raise Transient("host_busy", host)
    next_key = f"gongkai:collect:next:{host}"
    try:
        wait = client.pttl(next_key)
        if wait and wait > 0:
            time.sleep(wait / 1000)
        yield
    finally:
        if delay_ms > 0:
            client.set(next_key, "1", px=delay_ms)
        try:
            lock.release()
        except Exception:  # expired meanwhile: the next worker has it already
            pass


def _request(url: str) -> urllib.request.Request:
    return urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})


def _download(url: str, limit: int, deadline: float) -> tuple[bytes, Message]:
    """The body of ``url`` within the size limit and the deadline."""
    timeout = max(0.1, deadline - time.monotonic())
    try:
        with open_checked(_request(url), timeout) as response:
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > limit:
                raise FetchError("too_large", f"{int(length)} 字节，上限 {limit} 字节")
            chunks, size = [], 0
            while True:
                if time.monotonic() > deadline:
                    raise FetchError("fetch_timeout", f"超过 {settings.GONGKAI_COLLECT_TIMEOUT} 秒")
                chunk = response.read(65536)
                if not chunk:
                    break
                size += len(chunk)
                if size > limit:
                    raise FetchError("too_large", f"超过上限 {limit} 字节")
                chunks.append(chunk)
            return b"".join(chunks), response.headers
    except urllib.error.HTTPError as exc:
        if exc.code == 429 or exc.code >= 500:
            raise Transient("http_error", f"HTTP {exc.code}") from None
        if 300 <= exc.code < 400:
            raise FetchError("http_error", f"HTTP {exc.code}（重定向到不允许的地址或重定向过多）") from None
        raise FetchError("http_error", f"HTTP {exc.code}") from None
    except (TimeoutError, socket.timeout):
        raise FetchError("fetch_timeout", f"超过 {settings.GONGKAI_COLLECT_TIMEOUT} 秒") from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, RefusedAddress):
            raise FetchError("refused_address", f"{reason.host} → {'、'.join(reason.addresses)}") from None
        if isinstance(reason, (TimeoutError, socket.timeout)):
            raise FetchError("fetch_timeout", f"超过 {settings.GONGKAI_COLLECT_TIMEOUT} 秒") from None
        if isinstance(reason, socket.gaierror):
            raise FetchError("fetch_failed", f"无法解析主机名（{reason}）") from None
        raise Transient("fetch_failed", str(reason)[:200]) from None
    except RefusedAddress as exc:
        raise FetchError("refused_address", f"{exc.host} → {'、'.join(exc.addresses)}") from None
    except (ConnectionError, http.client.HTTPException, OSError) as exc:
        raise Transient("fetch_failed", f"{type(exc).__name__}: {exc}"[:200]) from None


_robots: dict[str, tuple[float, urllib.robotparser.RobotFileParser]] = {}


def _robots_for(url: str) -> urllib.robotparser.RobotFileParser:
    """The host's robots.txt (kept an hour per worker process): a missing one (4xx) allows
    everything; a server error is transient."""
    parts = urllib.parse.urlsplit(url)
    key = f"{parts.scheme}://{parts.netloc}".lower()
    cached = _robots.get(key)
    if cached and time.monotonic() - cached[0] < ROBOTS_CACHE_SECONDS:
        return cached[1]
    parser = urllib.robotparser.RobotFileParser(f"{key}/robots.txt")
    deadline = time.monotonic() + int(settings.GONGKAI_COLLECT_TIMEOUT)
    try:
        data, _ = _download(f"{key}/robots.txt", 512 * 1024, deadline)
        parser.parse(data.decode("utf-8", "replace").splitlines())
    except FetchError as exc:
        if exc.code in ("http_error", "too_large"):
            parser.allow_all = True  # no robots.txt (404 and the like): nothing is forbidden
        else:
            raise
    _robots[key] = (time.monotonic(), parser)
    return parser


def suffix_for(url: str, headers: Message | None, data: bytes) -> str:
    """The file type for the readers: the address's suffix, else the Content-Disposition file
    name's, else the Content-Type, else the first bytes."""
    path_suffix = PurePosixPath(urllib.parse.unquote(urllib.parse.urlsplit(url).path)).suffix.lower()
    if path_suffix in SUPPORTED_SUFFIXES:
        return path_suffix
    if headers is not None:
        filename = headers.get_filename() if hasattr(headers, "get_filename") else None
        if filename and PurePosixPath(filename).suffix.lower() in SUPPORTED_SUFFIXES:
            return PurePosixPath(filename).suffix.lower()
        content_type = (headers.get_content_type() if hasattr(headers, "get_content_type") else "").lower()
        if content_type in CONTENT_TYPES:
            return CONTENT_TYPES[content_type]
    head = data[:512].lstrip().lower()
    if head.startswith(b"%pdf"):
        return ".pdf"
    if head.startswith(b"pk\x03\x04"):
        return ".docx"
    if head.startswith((b"<!doctype html", b"<html")):
        return ".html"
    return ".txt"


def fetch(url: str) -> Fetched:
    """Fetch ``url`` politely (see the module's docstring)."""
    url = url.strip()
    if not valid_address(url):
        raise FetchError("bad_address", url[:200])
    host = host_of(url)
    with host_turn(host):
        robots = _robots_for(url)
    if not robots.can_fetch(ROBOTS_AGENT, url):
        raise FetchError("robots_disallowed")
    limit = int(settings.GONGKAI_COLLECT_MAX_BYTES)
    with host_turn(host):
        data, headers = _download(url, limit, time.monotonic() + int(settings.GONGKAI_COLLECT_TIMEOUT))
    return Fetched(url, data, suffix_for(url, headers, data))
