"""The demo's accounts guide: which account to use for what, printed by the demo commands and
shown on the login page while the demo serves (``settings.DEMO_ACCOUNTS``); every account it
names exists, has the role it is listed for and logs in with the demo password."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management.base import OutputWrapper
from django.urls import reverse

from gongkai.apps.agencies.models import Membership
from gongkai.apps.agencies.permissions import Action, may
from gongkai.apps.demo import accounts
from gongkai.apps.demo import county as demo

User = get_user_model()


@pytest.fixture
def county(db):
    return demo.create_county(seed=5)


def test_the_guide_names_an_account_for_each_part_of_the_work(county):
    uses = {u.task.split("（")[0].split("：")[0]: u for u in accounts.guide(county)}
    government, staff = county.government, county.staff[county.government.pk]
    assert uses["登记申请"].username == staff.registrar.username == "xzf_dengji"
    assert uses["承办申请"].username == "xzf_chengban" and uses["审核签发"].username == "xzf_shenhe"
    assert uses["上级主管"].username == "zhuguan"
    assert uses["目录信息初审"].username == "xzf_shenhe"
    assert may(staff.registrar, government, Action.REGISTER) and may(staff.handler, government, Action.ACT)
    assert may(staff.approver, government, Action.APPROVE)
    assert Membership.objects.filter(user=county.supervisor, agency=government, role="supervisor").exists()
    for use in accounts.guide(county):  # the password printed works for every account named
        assert User.objects.get(username=use.username).check_password(demo.DEMO_PASSWORD), use.username


def test_the_guide_is_printed_in_columns(county):
    out = io.StringIO()
    accounts.print_guide(OutputWrapper(out), county, 8000)
    text = out.getvalue()
    assert "http://127.0.0.1:8000/" in text and f"演示账号的密码均为：{demo.DEMO_PASSWORD}" in text
    rows = text.splitlines()
    header = next(i for i, line in enumerate(rows) if line.split()[:2] == ["账号", "用途"])
    lines = [line for line in rows[header + 1:] if not line.strip().startswith("共")]
    # the use column starts at the same display width on every line (Chinese characters count two)
    starts = {accounts._width(line[:line.index(line.split()[1])]) for line in lines}
    assert len(starts) == 1 and len(lines) == len(accounts.guide(county)) >= 6


def test_the_login_page_shows_the_guide_only_in_the_demo(client, county, settings):
    page = client.get(reverse("login")).content.decode()
    assert "演示账号" not in page and "xzf_dengji" not in page
    settings.DEMO_ACCOUNTS = accounts.as_setting(county)
    page = client.get(reverse("login")).content.decode()
    assert "演示账号" in page and demo.DEMO_PASSWORD in page
    for use in accounts.guide(county):
        assert use.username in page and use.task in page
