"""Notifications on this phone, from the account screen: the browser's permission is asked, and
when the browser cannot subscribe (Playwright's profiles are incognito, where Chromium has no
Push API; the same path as a push service out of reach) the shop is told so and nothing is
left half-made (no subscription on the server). Delivery itself is tested in
tests/api/test_push.py against a fake push service."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import expect

from tests.web.conftest import Phone


def test_turning_notifications_on_says_what_happened(phone: Callable[..., Phone]) -> None:
    p = phone("ar-DZ")
    p.context.grant_permissions(["notifications"])
    page = p.sign_in("yacine.baraka")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.get_by_role("link", name="حسابي").click()
    toggle = page.get_by_label("إشعارات على هذا الهاتف (حالة الطلبات والمدفوعات)")
    expect(toggle).not_to_be_checked()
    toggle.check()
    expect(page.get_by_role("alert")).to_contain_text("تعذّر تفعيل الإشعارات", timeout=20_000)
    expect(toggle).not_to_be_checked()
    assert p.api("GET", "/v1/me/push-subscriptions")["body"]["data"] == []
    p.shot("ar-account-push")
    # Chromium says why in the console: expected here, not a fault of the app
    p.errors[:] = [e for e in p.errors if "does not support the Push API in incognito" not in e]
