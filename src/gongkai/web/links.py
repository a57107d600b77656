"""Every "please set X up first" message links to the page that does it.

The services say in plain words what is missing and where it is set (“文书设置”, 节假日表 …), for
people and scripts alike; the staff pages turn those words into links (``link_setup``) when they
show the message, so that the person reaches the page in one click."""

from __future__ import annotations

import re

from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe


def setup_pages(agency=None) -> dict[str, str]:
    """The words of the services' messages that name a setting page, and the page's address."""
    pages = {"节假日表": reverse("holidays:notice")}
    if agency is not None:
        pages.update({
            "“文书设置”": reverse("letters:settings", args=[agency.pk]),
            "文书模板": reverse("letters:templates", args=[agency.pk]),
            "“目录设置”": reverse("catalogue:setup") + f"?agency={agency.pk}",
        })
    return pages


def with_links(text: str, links: dict[str, str]) -> SafeString:
    """``text`` escaped, the first occurrence of each phrase of ``links`` a link to its address."""
    html = escape(text)
    for phrase, url in links.items():
        target = escape(phrase)
        if target in html:
            html = html.replace(target, format_html('<a href="{}">{}</a>', url, phrase), 1)
    return mark_safe(html)


def link_setup(text: str, agency=None, **extra: str) -> SafeString:
    """``text`` with the setting pages it names linked (``setup_pages``), and ``extra`` phrases."""
    return with_links(str(text), {**setup_pages(agency), **extra})


def year_links(text: str, url_of) -> dict[str, str]:
    """The years ("2025年") ``text`` names, each with ``url_of(year)``."""
    return {f"{y}年": url_of(int(y)) for y in re.findall(r"(\d{4})年", str(text))}
