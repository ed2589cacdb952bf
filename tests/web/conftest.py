"""The mobile app in real Chromium (Debian's, driven by Playwright) against the local stack as
`make run` starts it, at phone size. Screenshots go to artifacts/screenshots/ (not committed)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from tests.e2e.conftest import DEMO_ADMIN, devstack

ROOT = Path(__file__).resolve().parents[2]
DIST = ROOT / "web" / "dist"
SHOTS = ROOT / "artifacts" / "screenshots"
AXE = ROOT / "web" / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = "/usr/lib/chromium/chromium"
PHONE = {"width": 360, "height": 740}
DEMO_PASSWORD = "demo-pass-2026"
UNAVAILABLE = json.dumps({"success": False, "error": {"code": "service_unavailable", "message": "", "details": None}})


@pytest.fixture(scope="session")
def app_url() -> Iterator[str]:
    """The demo stack serving the built app at / (built by `make web`)."""
    if not (DIST / "index.html").is_file():
        pytest.fail("web/dist is missing: run `make web` (make test does) before the browser tests")
    with devstack(DEMO_ADMIN, demo=True) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        # the flags keep Chromium off the network it cannot reach here (see WEB-NOTES)
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        )
        yield launched
        launched.close()


class Phone:
    """One phone: a fresh browser profile at 360×740 with the app open, its errors collected."""

    def __init__(self, context: BrowserContext, base: str) -> None:
        self.context = context
        self.base = base
        self.page: Page = context.new_page()
        self.errors: list[str] = []
        self._busy: dict[str, re.Pattern[str]] = {}
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("console", lambda message: message.type == "error" and self.errors.append(message.text))

    def open(self, path: str = "/") -> Page:
        self.page.goto(self.base + path)
        return self.page

    def sign_in(self, username: str, password: str = DEMO_PASSWORD, choose: str | None = None) -> Page:
        """Sign in from the login screen; `choose` a language there first (kept over the account's)."""
        page = self.sign_in_only(username, password, choose)
        page.locator("nav.tabs").wait_for()
        return page

    def sign_in_only(self, username: str, password: str = DEMO_PASSWORD, choose: str | None = None) -> Page:
        """Fill the login and tap "sign in", without waiting for the app's screens."""
        page = self.open("/")
        if choose:
            page.get_by_role("button", name=choose, exact=True).click()
        page.get_by_label("اسم المستخدم أو رقم الهاتف").or_(page.get_by_label("Nom d'utilisateur ou téléphone")).fill(
            username
        )
        page.locator("#password").fill(password)
        page.locator("button[type=submit]").click()
        return page

    def offline(self, value: bool) -> None:
        self.context.set_offline(value)

    def busy(self, url: str, value: bool = True) -> None:
        """The API answers 503 `service_unavailable` (in its envelope) to the requests whose URL
        matches the regex `url`, until `busy(url, False)`."""
        if not value:
            self.page.unroute(self._busy.pop(url))
            return
        self._busy[url] = re.compile(url)
        self.page.route(
            self._busy[url], lambda route: route.fulfill(status=503, content_type="application/json", body=UNAVAILABLE)
        )

    def shot(self, name: str) -> Path:
        SHOTS.mkdir(parents=True, exist_ok=True)
        path = SHOTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=False)
        return path

    def axe(self) -> list[dict[str, Any]]:
        """axe-core's WCAG 2 A/AA violations on the page as it is now."""
        # evaluated through the DevTools protocol: the page's CSP (no inline script) stays on
        self.page.evaluate(AXE.read_text(encoding="utf-8") + "\n;true")
        result = self.page.evaluate(
            "async () => (await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21aa']})).violations"
        )
        return [{"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]} for v in result]

    def assert_accessible(self) -> None:
        violations = self.axe()
        assert violations == [], json.dumps(violations, ensure_ascii=False, indent=1)

    def api(self, method: str, path: str, body: Any = None, key: str | None = None) -> Any:
        """A call to the API with this phone's own token (what the app holds), from the page."""
        return self.page.evaluate(
            """async ([method, path, body, key]) => {
                const creds = JSON.parse(localStorage.getItem('livrili.credentials'));
                const headers = {'Authorization': 'Bearer ' + creds.access_token, 'Content-Type': 'application/json'};
                if (key) headers['Idempotency-Key'] = key;
                const r = await fetch(path, {method, headers, body: body ? JSON.stringify(body) : undefined});
                return {status: r.status, body: await r.json()};
            }""",
            [method, path, body, key],
        )


@pytest.fixture
def phone(browser: Browser, app_url: str) -> Iterator[Callable[..., Phone]]:
    """Open phones (`phone("ar-DZ")`); each is closed after the test, and fails it on a page error."""
    opened: list[Phone] = []

    def open_phone(locale: str = "ar-DZ") -> Phone:
        context = browser.new_context(
            viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True, locale=locale
        )
        context.set_default_timeout(15_000)
        one = Phone(context, app_url)
        opened.append(one)
        return one

    yield open_phone
    errors = [error for one in opened for error in one.errors]
    for one in opened:
        one.context.close()
    # the browser logs every failed request (offline, or a 4xx a test provokes) as an error of
    # the console: those are the paths under test, not faults of the app
    real = [e for e in errors if not e.startswith("Failed to load resource") and "Failed to fetch" not in e]
    assert real == [], real
