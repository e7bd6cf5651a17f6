"""The pages in a real browser: Debian's Chromium driven by Playwright (no browser download).

The application runs on a free loopback port with a 200 KiB request limit (tests/web/conftest.py).
Without /usr/bin/chromium these tests are skipped, except in CI (CI=true), where .ci/run installs it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from web_fixtures import EXAMPLES

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]

if not CHROMIUM.is_file():
    if os.environ.get("CI"):
        raise RuntimeError("browser tests need Debian's chromium: apt-get install -y chromium")
    pytest.skip("Debian's chromium is not installed (apt-get install -y chromium)", allow_module_level=True)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser, server):
    context = browser.new_context(base_url=server, viewport={"width": 1200, "height": 900})
    opened = context.new_page()
    yield opened
    context.close()


def upload(page, *paths: Path) -> None:
    page.goto("/")
    page.set_input_files("#files", [str(p) for p in paths])
    page.get_by_role("button", name="Explain the score").click()


def test_upload_a_submission_and_read_the_score(page):
    upload(page, EXAMPLES / "submissions/2025-individual.json", EXAMPLES / "profiles/individual-2025.yaml")
    page.wait_for_url("**/result/*")
    assert page.locator("#final-score .big").inner_text() == "92.03"
    assert page.locator("#adjustment .big").inner_text() == "+0.7153%"
    assert page.locator("#verdict .big").inner_text() == "Above"
    assert "unconfirmed" in page.locator("#adjustment").inner_text()
    row = page.locator("table.measures tr", has_text="Advance Care Plan")
    assert "No: outside the 6 counted" in row.inner_text()
    assert page.get_by_role("cell", name="Promoting Interoperability unconfirmed").count() == 0


def test_open_the_trace_and_follow_a_step_to_the_rulebook(page):
    upload(page, EXAMPLES / "cases/below-threshold-2023.yaml")
    page.wait_for_url("**/result/*")
    page.get_by_text("Details for auditors").click()
    step = page.locator("ul.trace > li > details > summary", has_text="final_score =").first
    step.click()
    link = page.locator("ul.trace > li > details[open] a[href^='/rulebooks/2022/rules/final_score.yaml#L']").first
    link.click()
    page.wait_for_url("**/rulebooks/2022/rules/final_score.yaml#L*")
    line = page.url.rsplit("#L", 1)[1]
    assert "final_score" in page.locator(f"#L{line}").inner_text() or "id:" in page.locator(f"#L{int(line) - 1}").inner_text()


def test_compare_with_another_year(page):
    upload(page, EXAMPLES / "cases/individual-2023.yaml")
    page.wait_for_url("**/result/*")
    page.select_option("#compare-year", "2024")
    page.get_by_role("button", name="Compare").click()
    page.wait_for_url("**/compare?year=2024")
    assert page.locator("h1").inner_text().startswith("2023 and 2024 compared")
    assert "+0.602% → +0.294%" in page.locator("#main").inner_text()
    assert "params.payment_adjustment.max_positive_percent 2.15 -> 1.05" in page.locator("table").inner_text()


def test_an_oversized_upload_is_refused_in_the_page(page, tmp_path):
    big = tmp_path / "big.json"
    big.write_bytes(b"{" + b" " * (300 * 1024) + b"}")
    upload(page, big)
    message = page.locator("#client-error")
    message.wait_for(state="visible")
    assert "the limit is 0.2 MiB" in message.inner_text()
    assert page.url.endswith("/")


def test_an_oversized_upload_is_refused_by_the_server(page, tmp_path):
    big = tmp_path / "big.json"
    big.write_bytes(b"{" + b" " * (300 * 1024) + b"}")
    page.goto("/")
    page.evaluate("document.querySelector('#score-form').removeAttribute('data-max-bytes')")
    page.set_input_files("#files", str(big))
    page.get_by_role("button", name="Explain the score").click()
    page.wait_for_selector("h1:has-text('File too large')")
    assert "larger than the limit of 200 KiB" in page.locator(".problems").inner_text()


def test_a_malformed_upload_shows_located_problems(page, tmp_path):
    broken = tmp_path / "broken-case.yaml"
    broken.write_text("case_id: x\nperformance_year: 2023\nentity: {type: individual\n", encoding="utf-8")
    upload(page, broken)
    page.wait_for_selector("h1:has-text('These files cannot be scored')")
    text = page.locator(".problems").inner_text()
    assert "broken-case.yaml:" in text and "Traceback" not in page.content()


def test_keyboard_only(page):
    page.goto("/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.set_input_files("#files", str(EXAMPLES / "cases/below-threshold-2023.yaml"))
    page.focus("#year")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Explain the score"
    page.keyboard.press("Enter")
    page.wait_for_url("**/result/*")
    page.focus("#details > summary")
    page.keyboard.press("Enter")
    assert page.locator("#details").get_attribute("open") is not None
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('#details') !== null")
    for _ in range(100):  # past the links to the sources, to the first step of the trace
        if page.evaluate("document.activeElement.tagName") == "SUMMARY":
            break
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('ul.trace') !== null")
