"""Retake the README's pictures of the web app (``make screenshots``): start ``pydesig serve``,
open pages in headless Chromium (Debian's ``chromium``) and save small PNGs under ``docs/``."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

DOCS = Path(__file__).resolve().parents[2] / "docs"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
SHOTS = [  # file, path, what to click first (a CSS selector) or None, height
    ("app-case.png", "/cases/tonghua", None, 760),
    ("app-region.png", "/cases/tonghua/region?id=220581&lang=en", "#r0 details.why > summary", 760),
    ("report.png", "/cases/tonghua/report.html", None, 700),
]


def main(folder: Path = DOCS) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "pydesig", "serve", "--port", str(port)])
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(base + "/api/schema", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            page = browser.new_page(viewport={"width": 1100, "height": 760}, device_scale_factor=1)
            page.set_default_timeout(120_000)
            for name, path, click, height in SHOTS:
                page.set_viewport_size({"width": 1100, "height": height})
                page.goto(base + path)
                if click:
                    page.locator(click).first.click()
                    page.locator(click).first.scroll_into_view_if_needed()
                page.screenshot(path=str(folder / name))
                print(folder / name)
            browser.close()
    finally:
        server.terminate()
        server.wait(10)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DOCS)
