"""Guards in front of every view: request bodies too large are refused before they are read,
and the client's address as the login lockout (django-axes) counts it."""

from __future__ import annotations

import ipaddress
import logging

from django.conf import settings

from .errors import error_page

log = logging.getLogger("gongkai.security")


class RequestSizeLimitMiddleware:
    """413 for a request whose ``Content-Length`` is above ``GONGKAI_MAX_REQUEST_BYTES``, answered
    from the headers alone: not one byte of the body is read (Django would otherwise read a large
    multipart upload to the end before any form refuses it). First in ``MIDDLEWARE``.

    A body without ``Content-Length`` (chunked) is not read by Django's WSGI handler at all; the
    reverse proxy's ``client_max_body_size`` limits it before it reaches the application."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.GONGKAI_MAX_REQUEST_BYTES
        raw = (request.META.get("CONTENT_LENGTH") or "").strip()
        if raw.isascii() and raw.isdigit() and (len(raw) > 19 or int(raw) > limit):
            log.warning("request body refused: Content-Length %r over %d bytes on %s", raw[:30], limit, request.path)
            response = error_page(request, 413, with_context=False)
            return response
        return self.get_response(request)


def client_ip(request) -> str:
    """The client's address: ``REMOTE_ADDR``, or behind ``GONGKAI_THROTTLE_PROXY_COUNT`` trusted
    reverse proxies the address they saw (the same rule as the public forms' flood limits)."""
    from gongkai.apps.online.throttle import forwarded_address

    try:
        return str(ipaddress.ip_address(forwarded_address(request)))
    except ValueError:
        return "0.0.0.0"  # noqa: S104 - an unparseable address counts as one unknown client
