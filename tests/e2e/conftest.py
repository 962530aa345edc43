"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server.

Fixtures: `browser` (one Chromium per session), `page` (a fresh context per test, zh-Hans),
`login(page, user)` (logs in through the real form). Mark modules `pytestmark = pytest.mark.e2e`.
"""
import os
from collections.abc import Iterator

import pytest

# Playwright's sync API runs an event loop in this thread; the live server's database writes
# happen in the test thread too, which Django would otherwise refuse as "async unsafe".
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]
TEST_PASSWORD = "Test-pass-2026"  # tests/factories.UserFactory


@pytest.fixture(scope="session")
def browser() -> Iterator:
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install -y chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, transactional_db) -> Iterator:
    context = browser.new_context(base_url=live_server.url, locale="zh-CN",
                                  viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.csp_errors = errors
    yield page
    context.close()


@pytest.fixture
def login():
    def do_login(page, user, password: str = TEST_PASSWORD) -> None:
        page.goto("/accounts/login/")
        page.fill("#id_username", user.username)
        page.fill("#id_password", password)
        page.click("button[type=submit]")
        page.wait_for_url(lambda url: "/accounts/login/" not in url)

    return do_login
