"""The catalogue tree of an agency: presets, new categories, the tree in order."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from gongkai.apps.agencies.models import Agency
from gongkai.apps.records import snapshot
from gongkai.core.casework import catalogue as rules

from .access import require_draft
from .history import record_setting
from .models import Category


CATEGORY_FIELDS = ("name", "parent_id", "code", "position")


def _recorded(category: Category, user, reason: str = "") -> Category:
    record_setting(category.agency, "category", user, {}, snapshot(category, CATEGORY_FIELDS), reason)
    return category


def load_preset(agency: Agency, key: str, user=None) -> int:
    """Add the categories of a preset the agency's tree lacks; the number added. Each category
    added is recorded with ``user`` (none: the operator on the command line)."""
    if key not in rules.PRESETS:
        raise ValidationError(f"没有这个预置目录：{key}（可选 {'、'.join(rules.PRESETS)}）")
    added = 0
    reason = f"载入预置目录：{rules.PRESETS[key][0]}"

    def add(nodes, parent) -> None:
        nonlocal added
        for position, node in enumerate(nodes, 1):
            category, created = Category.objects.get_or_create(
                agency=agency, parent=parent, name=node.name, defaults={"code": node.code, "position": position})
            if created:
                _recorded(category, user, reason)
            added += created
            add(node.children, category)

    with transaction.atomic():
        if key == "grassroots":  # after the agency's own top-level categories
            offset = Category.objects.filter(agency=agency, parent=None).count()
            nodes = rules.PRESETS[key][1]
            for node in nodes:
                top, created = Category.objects.get_or_create(
                    agency=agency, parent=None, name=node.name, defaults={"code": node.code, "position": offset + 1})
                if created:
                    _recorded(top, user, reason)
                added += created
                add(node.children, top)
        else:
            add(rules.PRESETS[key][1], None)
    return added


def add_category(user, agency: Agency, name: str, parent: Category | None = None, code: str = "") -> Category:
    require_draft(user, agency, "维护目录分类")
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "请填写分类名称"})
    if parent is not None and parent.agency_id != agency.pk:
        raise ValidationError({"parent": "上级分类应属于本机关"})
    if Category.objects.filter(agency=agency, parent=parent, name=name).exists():
        raise ValidationError({"name": f"同一上级下已有分类“{name}”"})
    position = Category.objects.filter(agency=agency, parent=parent).count() + 1
    with transaction.atomic():
        category = Category.objects.create(agency=agency, parent=parent, name=name, code=(code or "").strip(),
                                           position=position)
        return _recorded(category, user)


@dataclass(frozen=True)
class TreeNode:
    category: Category
    depth: int


def category_tree(agency: Agency) -> list[TreeNode]:
    """The agency's categories in tree order (one query)."""
    categories = list(Category.objects.filter(agency=agency).order_by("position", "pk"))
    children: dict[int | None, list[Category]] = {}
    for category in categories:
        children.setdefault(category.parent_id, []).append(category)
    out: list[TreeNode] = []

    def walk(parent_id, depth) -> None:
        for category in children.get(parent_id, []):
            out.append(TreeNode(category, depth))
            walk(category.pk, depth + 1)

    walk(None, 0)
    return out


def category_choices(agency: Agency) -> list[tuple[int, str]]:
    """(pk, name indented by depth) of the agency's categories in tree order, for a select."""
    return [(n.category.pk, "\u3000" * n.depth + n.category.name) for n in category_tree(agency)]
