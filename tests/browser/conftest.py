"""Headless Chromium (Debian's, never a downloaded one) against pytest-django's live server."""

import os
from pathlib import Path

import pytest

from tests.portal.factories import owned_site_profile

# Playwright's sync API runs an event loop in the test thread, which makes
# Django refuse synchronous database access unless told it is safe.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
MOBILE = {"width": 390, "height": 844}


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(
            f"Chromium is not installed at {CHROMIUM}; "
            "install it with `apt-get install -y chromium` to run the browser tests."
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def open_page(browser, live_server):
    """``open_page(path, viewport=DESKTOP)``: a fresh browser context on the live server."""
    contexts = []

    def open_page(path: str, viewport: dict[str, int] = DESKTOP):
        context = browser.new_context(viewport=viewport, locale="zh-CN", base_url=live_server.url)
        contexts.append(context)
        page = context.new_page()
        page.goto(path)
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def screenshot():
    """``screenshot(page, name)``: save a full-page PNG for people to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> None:
        page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)

    return take


@pytest.fixture
def site_profile(world):
    return owned_site_profile(world.city)
