"""The mobile app's budgets, measured (printed, never asserted): what the first load weighs,
how soon it is usable on an emulated slow 3G phone, a repeat visit and an offline start, and
the device catalog at 5,000 products (its size on the device and the offline search time).

    python bench/web_budget.py            # needs `make web` (web/dist) and Debian's Chromium
    python bench/web_budget.py --lighthouse   # also Lighthouse 12 (npx, from the npm registry)
    python bench/web_budget.py --lighthouse --h2   # Lighthouse also over HTTP/2 + TLS, as CloudFront serves

Throttling as the issue states it: 400 ms RTT, 400 kbit/s each way, 4x CPU slowdown, 360x740.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DIST = ROOT / "web" / "dist"
CHROMIUM = "/usr/lib/chromium/chromium"
SLOW_3G = {"offline": False, "latency": 400, "downloadThroughput": 50_000, "uploadThroughput": 50_000}
RUNS = 3


def _gz(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), 9))


def first_load_weight() -> None:
    """JS + CSS a phone downloads before the first screen works, from Vite's chunk graph."""
    manifest = json.loads((DIST / ".vite" / "manifest.json").read_text())

    def closure(key: str, seen: set[str]) -> set[str]:
        if key in seen:
            return seen
        seen.add(key)
        for dep in manifest[key].get("imports", []):
            closure(dep, seen)
        return seen

    entry = next(k for k, v in manifest.items() if v.get("isEntry"))
    print("first load, gzip -9 (CloudFront compresses alike), budget 50 KB of JS + CSS:")
    for label, page in (("signed out: login", "pages/login.tsx"), ("signed in: catalog", "pages/catalog.tsx")):
        keys = closure(entry, set())
        page_key = next((k for k in manifest if k.endswith(page)), None)  # None: in the entry chunk
        if page_key:
            keys |= closure(page_key, set())
        files = {manifest[k]["file"] for k in keys} | {css for k in keys for css in manifest[k].get("css", [])}
        js = sum(_gz(DIST / f) for f in files if f.endswith(".js"))
        css = sum(_gz(DIST / f) for f in files if f.endswith(".css"))
        html = _gz(DIST / "index.html")
        print(
            f"  {label:<20} JS {js / 1024:5.1f} KB + CSS {css / 1024:4.1f} KB = {(js + css) / 1024:5.1f} KB"
            f"   (+ HTML {html / 1024:.1f} KB, {len(files)} files)"
        )
    total = sum(_gz(p) for p in DIST.rglob("*") if p.suffix in (".js", ".css") and p.is_file())
    print(f"  the whole app (every screen, the service worker): {total / 1024:.1f} KB")


def _signed_in(credentials: dict[str, Any], me: dict[str, Any]) -> str:
    """A page script that signs the device in as the app does (its localStorage), unless it is."""
    return (
        "if (!localStorage.getItem('livrili.credentials')) {"
        f"localStorage.setItem('livrili.credentials', {json.dumps(json.dumps(credentials))});"
        f"localStorage.setItem('livrili.me', {json.dumps(json.dumps(me))}); }}"
    )


def _usable_ms(page: Any, selector: str) -> float:
    """ms from the navigation's start until `selector` is on screen (measured by the page)."""
    handle = page.wait_for_function(
        f"() => document.querySelector({json.dumps(selector)}) && performance.now()", timeout=60_000
    )
    return float(handle.json_value())


def _throttle(context: Any, page: Any) -> None:
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", SLOW_3G)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})


def timings(base: str, credentials: dict[str, Any], me: dict[str, Any]) -> None:
    from playwright.sync_api import sync_playwright

    usable = "li.product button.add:not([disabled])"
    first, login, repeat, offline = [], [], [], []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-background-networking"])
        for _ in range(RUNS):
            # a new user's first visit: nothing cached, the login screen
            context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
            page = context.new_page()
            _throttle(context, page)
            page.goto(base + "/", wait_until="commit")
            login.append(_usable_ms(page, "button[type=submit]"))
            context.close()
            # signed in, nothing cached yet: until a product can be added to the cart
            context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
            context.add_init_script(_signed_in(credentials, me))
            page = context.new_page()
            _throttle(context, page)
            page.goto(base + "/", wait_until="commit")
            first.append(_usable_ms(page, usable))
            page.evaluate("navigator.serviceWorker.ready.then(() => true)")
            page.wait_for_function("() => document.querySelector('.syncline')?.textContent.match(/[0-9]{2}:[0-9]{2}/)")
            page.reload(wait_until="commit")
            repeat.append(_usable_ms(page, usable))
            context.set_offline(True)
            page.reload(wait_until="commit")
            offline.append(_usable_ms(page, usable))
            context.close()
        browser.close()
    print(f"\nusable on slow 3G (400 ms RTT, 400 kbit/s, CPU 4x), Chromium DevTools throttling, median of {RUNS}:")
    print(f"  first visit, login screen ready       {statistics.median(login):6.0f} ms   (budget 3000)")
    print(f"  first load signed in, can add to cart {statistics.median(first):6.0f} ms   (budget 3000)")
    print(f"  repeat visit (service worker)         {statistics.median(repeat):6.0f} ms   (budget 1000)")
    print(f"  offline start (device catalog)        {statistics.median(offline):6.0f} ms   (budget 1000)")


def big_catalog(base: str, credentials: dict[str, Any], me: dict[str, Any], count: int = 5000) -> None:
    """The device catalog at `count` products: bytes on the device and the offline search time."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-background-networking"])
        context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True)
        context.add_init_script(_signed_in(credentials, me))
        page = context.new_page()
        page.goto(base + "/")
        page.wait_for_function("() => document.querySelector('.syncline')?.textContent.match(/[0-9]{2}:[0-9]{2}/)")
        sample = page.evaluate(
            """async () => new Promise((ok) => { const r = indexedDB.open('livrili'); r.onsuccess = () => {
                const t = r.result.transaction('products').objectStore('products').getAll();
                t.onsuccess = () => ok(t.result[0]); }; })"""
        )
        before = page.evaluate("navigator.storage.estimate().then((e) => e.usage)")
        page.evaluate(
            """async ([sample, count]) => new Promise((ok) => { const r = indexedDB.open('livrili');
                r.onsuccess = () => { const tx = r.result.transaction('products', 'readwrite');
                  for (let i = 0; i < count; i++) {
                    const id = 'BENCH' + String(i).padStart(21, '0');
                    const data = {...sample.data, product_id: id, sku: 'SKU-' + i, name: sample.data.name + ' ' + i};
                    tx.objectStore('products').put({...sample, product_id: id, data, search: sample.search + ' ' + i});
                  }
                  tx.oncomplete = () => ok(true); }; })""",
            [sample, count],
        )
        after = page.evaluate("navigator.storage.estimate().then((e) => e.usage)")
        rows = page.evaluate(
            """async () => new Promise((ok) => { const r = indexedDB.open('livrili'); r.onsuccess = () => {
                const t = r.result.transaction('products').objectStore('products').getAll();
                t.onsuccess = () => ok(JSON.stringify(t.result).length); }; })"""
        )
        # offline only once the service worker is active (else the reload has nothing to serve it)
        page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
        context.set_offline(True)
        page.reload()
        page.locator("#q").wait_for()
        times = []
        for word in ("زيت", "4999", "huile elio", "ارز", "xyz-none"):
            page.locator("#q").fill("")
            page.wait_for_timeout(300)
            elapsed = page.evaluate(
                """(word) => new Promise((ok) => { const q = document.querySelector('#q');
                    const list = document.querySelector('main');
                    const t0 = performance.now();
                    const seen = new MutationObserver(() => { seen.disconnect(); ok(performance.now() - t0); });
                    seen.observe(list, {childList: true, subtree: true, characterData: true});
                    q.value = word; q.dispatchEvent(new Event('input', {bubbles: true})); })""",
                word,
            )
            times.append(elapsed)
        browser.close()
    print(f"\ndevice catalog at {count:,} products (+ the demo's), budget 5 MB and 50 ms:")
    print(f"  IndexedDB rows (JSON)          {rows / 1e6:5.2f} MB")
    print(f"  storage used (estimate)        {(after - before) / 1e6:5.2f} MB more than before")
    print(
        f"  offline search, type → results {statistics.median(times):5.1f} ms median, {max(times):.1f} ms worst "
        f"(first search builds the index: {times[0]:.1f} ms)"
    )


def _lighthouse_report(url: str, tmp: Path, name: str, profile: Path | None = None) -> dict[str, Any]:
    out = tmp / f"{name}.json"
    flags = "--headless=new --no-sandbox --disable-background-networking"
    if url.startswith("https:"):  # the HTTP/2 front's certificate is its own
        flags += " --ignore-certificate-errors"
    cmd = [
        "npx",
        "--yes",
        "lighthouse@12.8.2",
        url,
        "--quiet",
        "--output=json",
        f"--output-path={out}",
        "--only-categories=performance,accessibility,best-practices",
        "--form-factor=mobile",
        "--throttling-method=simulate",
        "--throttling.rttMs=400",
        "--throttling.throughputKbps=400",
        "--throttling.cpuSlowdownMultiplier=4",
        "--screenEmulation.width=360",
        "--screenEmulation.height=740",
    ]
    if profile is not None:  # signed in: the profile holds the credentials, nothing else
        cmd += ["--disable-storage-reset", f"--chrome-flags={flags} --user-data-dir={profile}"]
    else:
        cmd += [f"--chrome-flags={flags}"]
    for attempt in range(3):  # Lighthouse sometimes misses the trace's start (NO_NAVSTART): it says run again
        run = subprocess.run(cmd, check=False, env={**os.environ, "CHROME_PATH": CHROMIUM}, cwd=tmp, timeout=600)
        if run.returncode == 0:
            break
        print(f"  (Lighthouse failed, attempt {attempt + 1} of 3)")
    run.check_returncode()
    report: dict[str, Any] = json.loads(out.read_text())
    return report


def _signed_in_profile(base: str, profile: Path, credentials: dict[str, Any], me: dict[str, Any]) -> None:
    """A Chromium profile holding a shop user's credentials and nothing else of the app: they
    are written from `/health` (same origin), so no page, script or service worker is cached."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(profile),
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-background-networking"],
            ignore_https_errors=True,  # the HTTP/2 front's own certificate
        )
        context.add_init_script(_signed_in(credentials, me))
        context.new_page().goto(base + "/health")
        context.close()


@contextlib.contextmanager
def h2_front(base: str) -> Iterator[str]:
    """`base` behind HTTP/2 over TLS (bench/h2_front.mjs, a self-signed certificate for
    127.0.0.1), as CloudFront serves it: one connection for every request, one handshake."""
    import datetime
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
        .sign(key, hashes.SHA256())
    )
    with tempfile.TemporaryDirectory() as certs:
        Path(certs, "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        Path(certs, "key.pem").write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        )
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        upstream = base.rsplit(":", 1)[1]
        front = subprocess.Popen(
            ["node", str(ROOT / "bench" / "h2_front.mjs"), str(port), upstream, certs],
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            assert front.stdout is not None and front.stdout.readline().startswith("listening"), "the HTTP/2 front"
            yield f"https://127.0.0.1:{port}"
        finally:
            front.terminate()
            front.wait(timeout=10)


def lighthouse(base: str, credentials: dict[str, Any], me: dict[str, Any], served: str) -> None:
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        login = _lighthouse_report(base + "/", tmp, "login")
        _signed_in_profile(base, tmp / "profile", credentials, me)
        catalog = _lighthouse_report(base + "/", tmp, "catalog", tmp / "profile")
    for title, report in (("the first screen (login)", login), ("signed in, first load (the catalog)", catalog)):
        cats, audits = report["categories"], report["audits"]
        print(f"\nLighthouse 12 (mobile, simulated 400 ms / 400 kbit/s / CPU 4x, {served}), {title}:")
        for key in ("performance", "accessibility", "best-practices"):
            print(f"  {cats[key]['title']:<16} {cats[key]['score'] * 100:5.0f}   (budget 95)")
        for key in ("first-contentful-paint", "largest-contentful-paint", "interactive", "total-blocking-time"):
            print(f"  {audits[key]['title']:<26} {audits[key]['displayValue']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lighthouse", action="store_true")
    parser.add_argument("--h2", action="store_true", help="Lighthouse also over HTTP/2 + TLS, as CloudFront serves")
    args = parser.parse_args()
    if not (DIST / ".vite" / "manifest.json").is_file():
        sys.exit("web/dist is missing: run `make web` first")
    first_load_weight()
    from tests.e2e.conftest import devstack

    with devstack(("bench-admin", "bench-admin-pass-1"), demo=True) as base:
        import requests

        reply = requests.post(
            f"{base}/v1/auth/login", json={"username": "yacine.baraka", "password": "demo-pass-2026"}, timeout=15
        ).json()["data"]
        me = requests.get(
            f"{base}/v1/me", headers={"Authorization": f"Bearer {reply['access_token']}"}, timeout=15
        ).json()["data"]
        now_ms = int(time.time() * 1000)
        credentials = {
            "access_token": reply["access_token"],
            "refresh_token": reply["refresh_token"],
            "expires_at": now_ms + (reply["expires_in"] - 30) * 1000,
        }
        timings(base, credentials, me)  # these first visits also warm the server, as a deployed one is
        if args.lighthouse:  # before the 5,000 products are added: the demo catalog, as in `timings`
            lighthouse(base, credentials, me, "HTTP/1.1 as served locally")
            if args.h2:
                with h2_front(base) as front:
                    lighthouse(front, credentials, me, "HTTP/2 + TLS as CloudFront serves")
        big_catalog(base, credentials, me)


if __name__ == "__main__":
    main()
