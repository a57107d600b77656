"""Browser tests: Playwright (sync API) driving the Debian chromium against pytest-django's
live server. scripts/setup installs chromium; without it these tests fail, they never skip."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test's thread; the ORM calls of the tests
# (creating users, reading the result) are ordinary synchronous code all the same.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not CHROMIUM.exists():
        pytest.fail(f"浏览器测试需要 Debian 的 chromium（{CHROMIUM} 不存在）：请运行 ./scripts/setup 安装 "
                    "（apt-get install chromium）", pytrace=False)
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "headless": True, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "zh-CN", "timezone_id": "Asia/Shanghai",
            "viewport": {"width": 1280, "height": 900}, "accept_downloads": True}


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def screenshots() -> Path:
    """Where the screenshots go (GONGKAI_SCREENSHOTS, else a new temporary folder); printed."""
    folder = Path(os.environ.get("GONGKAI_SCREENSHOTS") or tempfile.mkdtemp(prefix="gongkai-screens-"))
    folder.mkdir(parents=True, exist_ok=True)
    print(f"\nscreenshots: {folder}")
    return folder


PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def citizen(browser, browser_context_args):
    """A browser without JavaScript: every public page must work without it."""
    context = browser.new_context(**browser_context_args, java_script_enabled=False)
    yield context.new_page()
    context.close()


def shoot_both(page, screenshots: Path, name: str) -> None:
    """Screenshots of the page at desktop and phone width; nothing wider than a phone (no
    sideways scrolling)."""
    page.set_viewport_size(DESKTOP)
    page.screenshot(path=str(screenshots / f"{name}-desktop.png"), full_page=True)
    page.set_viewport_size(PHONE)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], name
    page.screenshot(path=str(screenshots / f"{name}-phone.png"), full_page=True)
    page.set_viewport_size(DESKTOP)
