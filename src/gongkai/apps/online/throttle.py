"""Flood limits of the public forms, counted in the database.

A limit is ``(count, seconds)``: at most ``count`` hits of one key in a fixed window of
``seconds``. Each hit adds one to the row (key, window start) — inserted under the unique
constraint, or incremented with ``count = count + 1`` in SQL — so that concurrent gunicorn
workers never lose a hit, on SQLite and PostgreSQL, without Redis. Rows whose window has ended
are deleted whenever a new window row is made.

Keys never hold an address or an ID number: they are a purpose and an HMAC of the value with the
installation's secret key (``GONGKAI_THROTTLE_*`` settings choose the limits):

- ``GONGKAI_THROTTLE_APPLY_IP`` — online applications per IP address (default 10 per hour);
- (no limit per applicant: 条例 has no ground to refuse an application for being one of many;
  an applicant's extra applications of a day are registered flagged for review, ``apply_intake``);
- ``GONGKAI_THROTTLE_TRACK_IP`` — tracking look-ups per IP address (default 30 per 10 minutes);
- ``GONGKAI_THROTTLE_TRACK_CODE`` — look-ups of one tracking code (default 10 per hour), so that
  the second factor cannot be guessed from many addresses;
- ``GONGKAI_THROTTLE_RECOVER_IP`` — requests to recover a tracking code per IP address (default
  5 per hour);
- ``GONGKAI_THROTTLE_RECOVER_CONTACT`` — requests naming one e-mail address or mobile number
  (default 3 a day), so that nobody floods a person's mailbox or phone;
- ``GONGKAI_THROTTLE_DOWNLOAD_IP`` — downloads from the tracking page per IP address (default
  60 per 10 minutes; a PDF is laid out on each request);
- ``GONGKAI_THROTTLE_PROXY_COUNT`` — how many reverse proxies in front of the site append to
  ``X-Forwarded-For`` (default 0: the peer address ``REMOTE_ADDR`` is the client).

IPv6 clients are counted per /64 network (one subscriber's usual allocation).
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .models import ThrottleCount

DEFAULTS = {
    "GONGKAI_THROTTLE_APPLY_IP": (10, 3600),
    "GONGKAI_THROTTLE_TRACK_IP": (30, 600),
    "GONGKAI_THROTTLE_TRACK_CODE": (10, 3600),
    "GONGKAI_THROTTLE_RECOVER_IP": (5, 3600),
    "GONGKAI_THROTTLE_RECOVER_CONTACT": (3, 86400),
    "GONGKAI_THROTTLE_DOWNLOAD_IP": (60, 600),
}
EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Limit:
    setting: str
    count: int
    seconds: int

    @property
    def purpose(self) -> str:
        return self.setting.removeprefix("GONGKAI_THROTTLE_").lower()


def limit(setting: str) -> Limit:
    """The configured limit (a setting overrides ``DEFAULTS``); a bad value raises ValueError."""
    count, seconds = getattr(settings, setting, DEFAULTS[setting])
    count, seconds = int(count), int(seconds)
    if count < 1 or seconds < 1:
        raise ValueError(f"{setting} must be (count >= 1, seconds >= 1), not {(count, seconds)}")
    return Limit(setting, count, seconds)


class Throttled(Exception):
    """Over a limit: ``retry_after`` seconds until the window ends, and what was limited, in Chinese."""

    def __init__(self, limit: Limit, retry_after: int, what: str):
        super().__init__(what)
        self.limit, self.retry_after, self.what = limit, retry_after, what


def keyed(purpose: str, value: str) -> str:
    """The throttle key of ``value`` for ``purpose``: an HMAC, so the table holds no personal data."""
    digest = hmac.new(settings.SECRET_KEY.encode(), f"{purpose}\0{value}".encode(), hashlib.sha256).hexdigest()
    return f"{purpose}:{digest[:40]}"


def forwarded_address(request) -> str:
    """``REMOTE_ADDR``, or behind ``GONGKAI_THROTTLE_PROXY_COUNT`` trusted reverse proxies the
    address they saw (the last proxies' entries of X-Forwarded-For), as given."""
    address = request.META.get("REMOTE_ADDR", "") or ""
    proxies = int(getattr(settings, "GONGKAI_THROTTLE_PROXY_COUNT", 0))
    if proxies > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            address = forwarded[-proxies]
    return address


def client_address(request) -> str:
    """The client's address (behind ``GONGKAI_THROTTLE_PROXY_COUNT`` trusted proxies), IPv6 as its /64."""
    address = forwarded_address(request)
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address or "unknown"
    if ip.version == 6:
        if ip.ipv4_mapped is not None:  # ::ffff:192.0.2.1 is the IPv4 client 192.0.2.1
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def hit(setting: str, value: str, what: str, now: datetime | None = None) -> int:
    """Count one hit of ``value`` against the limit ``setting``; raise Throttled when over it.

    Returns the count in the current window. A hit over the limit is counted too (an attacker who
    keeps trying stays blocked until the window ends)."""
    rule = limit(setting)
    now = now or timezone.now()
    elapsed = (now - EPOCH).total_seconds()
    start = EPOCH + timedelta(seconds=(elapsed // rule.seconds) * rule.seconds)
    end = start + timedelta(seconds=rule.seconds)
    key = keyed(rule.purpose, value)
    with transaction.atomic():
        try:
            with transaction.atomic():  # a savepoint: a concurrent first hit may win the insert
                ThrottleCount.objects.create(key=key, window_start=start, expires_at=end, count=1)
            ThrottleCount.objects.filter(expires_at__lte=now).delete()
        except IntegrityError:
            ThrottleCount.objects.filter(key=key, window_start=start).update(count=F("count") + 1)
        count = ThrottleCount.objects.filter(key=key, window_start=start).values_list("count", flat=True).get()
    if count > rule.count:
        raise Throttled(rule, max(1, math.ceil((end - now).total_seconds())), what)
    return count


def clean_up(now: datetime | None = None) -> int:
    """Delete the counters whose window has ended; returns how many."""
    deleted, _ = ThrottleCount.objects.filter(expires_at__lte=now or timezone.now()).delete()
    return deleted
