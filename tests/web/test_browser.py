"""In a real browser: headless Chromium (Debian's ``chromium``), driven by Playwright, against
``pydesig serve`` on a free loopback port.

One walk through what an analyst does: open the demo case, open a justification, switch to
English, expand a justification on a region's page, fix a decision and see the status change, open
the report, upload a hostile case.  Never downloads a browser: Playwright is pointed at /usr/bin/chromium.  Where
chromium is missing the tests skip with the reason, except in CI (``CI=true``), where that fails.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import yaml
from webutil import HOSTILE, hostile_doc

CHROMIUM = os.environ.get("PYDESIG_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
IN_CI = os.environ.get("CI", "").lower() == "true"


def _require(condition: bool, reason: str) -> None:
    if not condition:
        if IN_CI:
            pytest.fail(f"{reason} (required in CI)")
        pytest.skip(reason)


@pytest.fixture(scope="module")
def browser():
    os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
    _require(Path(CHROMIUM).exists() or shutil.which(CHROMIUM) is not None,
             f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _require(False, "playwright is not installed (pip install -e '.[test]')")
    pytest.importorskip("fastapi", reason="the web extra is not installed")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server():
    """``pydesig serve`` in its own process, as a user starts it."""
    port = _free_port()
    process = subprocess.Popen([sys.executable, "-m", "pydesig", "serve", "--port", str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(base + "/api/schema", timeout=2).read()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"pydesig serve did not start: {process.stderr.read().decode()}")
            time.sleep(0.2)
    yield base
    process.terminate()
    process.wait(10)


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(90_000)
    dialogs, errors = [], []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.dialogs, page.errors = dialogs, errors
    yield page
    context.close()


def test_an_analyst_walks_through_the_demo(server, page):
    page.goto(server + "/")
    page.get_by_role("link", name="tonghua").click()
    assert page.get_by_role("heading", name="整治状态时间线 · Timeline").is_visible()

    # a justification: from the timeline cell of 梅河口市 2022, drawn as the report draws it
    page.locator('a[href*="why?region=220581&year=2022"]').first.click()
    why = page.locator("details.why").first
    assert why.get_attribute("open") is not None
    assert why.locator("svg.cgraph").is_visible() and why.locator(".quote").first.is_visible()

    # English
    page.get_by_role("link", name="English").click()
    assert "is under listed rectification in 2022" in page.locator("details.why ul.tree").first.inner_text()
    assert "Article" in page.locator("details.why .quote").first.inner_text()

    # the region's page: the report's card; expand one of its justifications
    page.locator("p.question").get_by_role("link").first.click()
    step = page.locator("section.card details.why").first
    assert step.get_attribute("open") is None and not step.locator("ul.tree").first.is_visible()
    step.locator(":scope > summary").click()
    assert step.get_attribute("open") is not None and step.locator("ul.tree").first.is_visible()
    assert "Article" in step.inner_text()

    # fix a decision (still in English): 220521's term in 2022 may expire or be downgraded
    page.get_by_role("link", name="概览 Summary").click()
    select = page.locator('select[name="decide"]').filter(has=page.locator('option[value="region=220521:2022:downgrade"]'))
    select.select_option("region=220521:2022:downgrade")
    page.get_by_role("button", name="确定并查看变化 Fix and see what changes").click()
    changes = page.locator("#changes")
    assert changes.is_visible()
    became = changes.locator("li.added").filter(has_text="220521").filter(has_text="2022")
    assert "notified warning" in became.first.inner_text()  # downgraded from listed rectification: certain now
    cell = page.locator("#timeline tr").filter(has_text="220521").locator("td").nth(
        page.locator("#timeline th").all_inner_texts().index("2022") - 1)
    assert "notified warning" in cell.inner_text() and cell.locator(".uncertain").count() == 0
    assert page.locator('select[name="decide"] option[selected]').first.get_attribute("value") == \
        "region=220521:2022:downgrade"
    assert page.dialogs == [] and page.errors == []


def test_the_report_opens(server, page):
    page.goto(server + "/cases/tonghua")
    page.get_by_role("link", name="报告 Report").first.click()
    page.wait_for_load_state()
    assert page.locator("h1").first.inner_text().startswith("通化市禁毒重点整治评估示例")  # the report's front page: the case title
    assert page.locator("details").count() > 10


def test_a_hostile_case_stays_text(server, page, tmp_path):
    path = tmp_path / "hostile.yaml"
    path.write_text(yaml.safe_dump(hostile_doc(), allow_unicode=True), encoding="utf-8")
    page.goto(server + "/")
    page.set_input_files('input[name="case"]', str(path))
    page.get_by_role("button", name="打开 Open").click()
    assert '<b>标题</b> & "quotes" </style>' in page.locator("h1").inner_text()
    page.get_by_role("link", name=f"{HOSTILE}（A\"x&</style>）").first.click()
    assert HOSTILE in page.locator("h2.subject").inner_text()
    page.get_by_role("link", name="English").click()
    assert page.locator("script").count() == 0
    assert page.dialogs == [] and page.errors == []
