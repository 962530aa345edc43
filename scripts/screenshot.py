#!/usr/bin/env python
"""Screenshots of a running Sanxin for the docs: screenshot.py BASE_URL USER PASSWORD PATH OUT.png"""
import sys

from playwright.sync_api import sync_playwright


def main() -> None:
    base, user, password, path, out = sys.argv[1:6]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium",
                                    args=["--headless=new", "--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1366, "height": 820}, locale="zh-CN")
        page.goto(base + "/accounts/login/")
        page.fill("#id_username", user)
        page.fill("#id_password", password)
        page.click("button[type=submit]")
        page.wait_for_load_state("networkidle")
        page.goto(base + path)
        page.wait_for_load_state("networkidle")
        page.screenshot(path=out)
        browser.close()


if __name__ == "__main__":
    main()
