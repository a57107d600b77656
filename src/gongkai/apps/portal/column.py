"""The structure of the disclosure column (政府信息公开专栏) as Chinese government sites lay it
out: the same five sections for every agency and for the region's home — 政府信息公开指南,
政府信息公开制度, 法定主动公开内容, 政府信息公开年报, 依申请公开 — after the home page, and the
breadcrumbs 首页 › 机关 › 栏目 › page. Used by ``public_base.html`` through the ``column`` tags."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

# key, label; the order of the navigation.
SECTIONS: tuple[tuple[str, str], ...] = (
    ("guide", "政府信息公开指南"),
    ("rules", "政府信息公开制度"),
    ("catalogue", "法定主动公开内容"),
    ("reports", "政府信息公开年报"),
    ("apply", "依申请公开"),
)
SECTION_LABELS = dict(SECTIONS) | {"search": "信息检索", "api": "数据接口"}
# The pages of online applications and the deadline calculator, by URL name: in 依申请公开, with
# their own name after it in the breadcrumbs (their views name no section).
ON_REQUEST_PAGES = {"apply": "网上申请", "apply_receipt": "申请回执", "track": "查询办理进度", "recover": "找回查询码",
                    "deadline": "答复期限计算"}
# The sections every agency has a page of; at the region's level each lists the agencies' pages.
AGENCY_SECTIONS = ("guide", "rules", "catalogue", "reports")


@dataclass(frozen=True)
class Link:
    key: str
    label: str
    url: str


def current_section(section: str, url_name: str | None) -> str:
    """The section a page belongs to: 依申请公开 for the pages of online applications (whatever
    their views call themselves), else the one its view names."""
    if url_name in ON_REQUEST_PAGES:
        return "apply"
    return section or ""


def section_url(section: str, agency=None) -> str:
    """The page of ``section`` for ``agency``, or the region's page of it."""
    if section == "apply":
        return reverse("portal:agency_on_request", args=[agency.pk]) if agency else reverse("portal:on_request")
    if section == "search":
        return reverse("portal:search") + (f"?agency={agency.pk}" if agency else "")
    if section == "api":
        return reverse("portal:api_docs")
    if agency is None:
        return reverse("portal:region_section", args=[section])
    return reverse(f"portal:{section}", args=[agency.pk])


def home_url(agency=None) -> str:
    return reverse("portal:agency", args=[agency.pk]) if agency else reverse("portal:home")


def navigation(agency=None) -> list[Link]:
    """The column's navigation: its home, then the five sections."""
    home = Link("home", "本机关首页" if agency else "首页", home_url(agency))
    return [home, *(Link(key, label, section_url(key, agency)) for key, label in SECTIONS)]


def crumbs(agency=None, section: str = "") -> list[Link]:
    """首页 › 机关 › 栏目: where a page sits in the column (the page's own trail follows)."""
    trail = [Link("home", "首页", reverse("portal:home"))]
    if agency is not None:
        trail.append(Link("agency", agency.name, home_url(agency)))
    if section in SECTION_LABELS:
        trail.append(Link(section, SECTION_LABELS[section], section_url(section, agency)))
    return trail
