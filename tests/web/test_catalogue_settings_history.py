"""The catalogue's settings keep their history, switching a check off needs an approver, and an
approver who drafted an item does not review it (issue 12 item 5)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from gongkai.apps.catalogue import categories, index_numbers, items, review, words
from gongkai.apps.catalogue.models import Category, Item, SettingChange, WordList

from .test_catalogue import draft, office  # noqa: F401 - the fixture


def test_index_number_settings_keep_who_when_before_and_after(office):
    index_numbers.save_settings(office.section_head, office.bureau, "014416330", "hyphen", 5)
    index_numbers.save_settings(office.leader, office.bureau, "014416330", "slash_year", 4, reason="按省统一格式")
    first, second = SettingChange.objects.filter(agency=office.bureau, setting="index_numbers").order_by("pk")
    assert (first.user, first.before, first.after["index_format"]) == (office.section_head, {}, "hyphen")
    assert (second.user, second.reason) == (office.leader, "按省统一格式")
    assert second.before["index_format"] == "hyphen" and second.after["index_format"] == "slash_year"
    assert ("序号位数", 5, 4) in second.changes and second.at is not None


def test_word_lists_keep_their_history(office):
    words.save_word_list(office.drafter, office.bureau, "sensitive", "内部资料\n")
    words.save_word_list(office.drafter, office.bureau, "sensitive", "内部资料\n绝密文件\n")
    changes = list(SettingChange.objects.filter(agency=office.bureau, setting="sensitive").order_by("pk"))
    assert [c.user for c in changes] == [office.drafter, office.drafter]
    assert changes[1].before["entries"] == "内部资料" and changes[1].after["entries"] == "内部资料\n绝密文件"


def test_a_handler_cannot_switch_the_sensitive_words_off_and_submit_a_blocked_word(office, client):
    client.force_login(office.drafter)
    response = client.post(reverse("catalogue:words") + f"?agency={office.bureau.pk}", {
        "agency": office.bureau.pk, "kind": "sensitive", "sensitive-entries": "", "sensitive-reason": "误报太多"})
    assert response.status_code == 403  # use_defaults unticked: the defaults switched off
    assert not WordList.objects.filter(agency=office.bureau, kind="sensitive").exists()
    item = draft(office, body="内容涉及法轮功。")
    with pytest.raises(ValidationError, match="敏感词"):
        review.submit(office.drafter, item)
    # Removing a sensitive word of the office's own list is switching a check off too.
    words.save_word_list(office.drafter, office.bureau, "sensitive", "内部资料\n")
    with pytest.raises(PermissionDenied, match="审核人"):
        words.save_word_list(office.drafter, office.bureau, "sensitive", "")
    # The wrong-forms defaults as well.
    with pytest.raises(PermissionDenied):
        words.save_word_list(office.drafter, office.bureau, "wrong", "", use_defaults=False)


def test_an_approver_switches_a_check_off_with_a_reason_recorded(office):
    with pytest.raises(ValidationError, match="理由"):
        words.save_word_list(office.section_head, office.bureau, "sensitive", "", use_defaults=False)
    words.save_word_list(office.section_head, office.bureau, "sensitive", "", use_defaults=False,
                         reason="本机关改用省统一敏感词库，另行检查")
    change = SettingChange.objects.get(agency=office.bureau, setting="sensitive")
    assert change.user == office.section_head and change.reason == "本机关改用省统一敏感词库，另行检查"
    assert change.before == {"entries": "", "use_defaults": True} and change.after["use_defaults"] is False


def test_categories_keep_their_history(office, client):
    parent = Category.objects.get(agency=office.bureau, name="法规文件")
    categories.add_category(office.drafter, office.bureau, "政策解读（图解）", parent, "0205")
    change = SettingChange.objects.filter(agency=office.bureau, setting="category").latest("pk")
    assert change.user == office.drafter and change.before == {}
    assert change.after["name"] == "政策解读（图解）" and change.after["parent_id"] == parent.pk
    client.force_login(office.drafter)
    client.post(reverse("catalogue:preset"), {"agency": office.bureau.pk, "preset": "grassroots"})
    recorded = SettingChange.objects.filter(agency=office.bureau, setting="category", user=office.drafter)
    assert recorded.filter(after__name="基层政务公开标准目录").exists()
    assert recorded.count() == Category.objects.filter(agency=office.bureau).count() - \
        SettingChange.objects.filter(agency=office.bureau, setting="category", user=None).count()


def test_an_approver_who_drafted_an_item_does_not_review_it(office):
    item = items.create_item(office.section_head, office.bureau, category=office.category, title="某县财政局通知",
                             publisher="某县财政局", made_on=draft(office).made_on, body="正文。")
    item = review.submit(office.drafter, item)  # someone else submits
    with pytest.raises(ValidationError, match="起草"):
        review.approve_section(office.section_head, item, "同意")
    item = review.approve_section(office.leader, item, "同意")
    with pytest.raises(ValidationError, match="起草"):
        review.approve_leader(office.section_head, item, "同意")
    assert Item.objects.get(pk=item.pk).state == Item.State.LEADER_REVIEW
    # One who edited the draft drafted it too.
    other = draft(office)
    items.edit_item(office.leader, other, "改标题", title="某县财政局关于规范资金的通知")
    other = review.submit(office.drafter, other)
    with pytest.raises(ValidationError, match="起草"):
        review.approve_section(office.leader, other, "同意")
