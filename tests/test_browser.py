"""The explorer in a real browser: Debian's headless Chromium (installed by `make test`), driven by
Playwright. Every page is loaded: no console errors, no broken links or anchors; the evidence view
highlights exactly the quote; search finds a name. Screenshots go to test-artifacts/ (not committed)."""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlparse

import pytest

from usua.site import build_site
from usua.site.build import anchor, page_path

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"  # ignored by git, outside the sdist
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = pytest.mark.slow


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("explorer") / "site"
    build_site(out)
    return out


@pytest.fixture(scope="module")
def playwright():
    if _chromium() is None:
        pytest.skip("no Chromium: `make test` installs Debian's chromium package (needs root and apt-get)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


def _launch(playwright, profile: Path, **options):
    """Chromium with a fresh profile folder (--user-data-dir), offline."""
    return playwright.chromium.launch_persistent_context(
        str(profile),
        executable_path=_chromium(),
        headless=True,
        args=FLAGS,
        viewport={"width": 1200, "height": 900},
        offline=True,
        **options,
    )


@pytest.fixture(scope="module")
def browser(playwright, tmp_path_factory):
    context = _launch(playwright, tmp_path_factory.mktemp("chromium-profile"))
    try:
        yield context
    finally:
        context.close()


def _open(context, url: str):
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(f"{m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(f"exception: {e}"))
    page.goto(url)
    page.wait_for_load_state("load")
    return page, errors


def test_every_page_loads_without_errors_and_every_link_resolves(browser, site):
    start = (site / "index.html").as_uri()
    queue, seen, ids, links = [start], set(), {}, []
    page, errors = _open(browser, start)
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        page.goto(url)
        assert not errors, (url, errors)
        path = Path(unquote(urlparse(url).path))
        ids[path] = set(page.eval_on_selector_all("[id]", "els => els.map(e => e.id)"))
        for href in page.eval_on_selector_all("a[href]", "els => els.map(a => a.href)"):
            if href.startswith("file://"):
                links.append((url, href))
                target, _ = urldefrag(href)
                if target.endswith(".html") and urlparse(target).query == "":
                    queue.append(target)
    page.close()
    html_pages = {p for p in site.rglob("*.html")}
    assert {p for p in ids} >= html_pages - {site / "search.html"}  # every page is reachable
    for source, href in links:
        target, fragment = urldefrag(href)
        path = Path(unquote(urlparse(target).path))
        assert path.is_file(), (source, href)
        if fragment and path.suffix == ".html":
            assert fragment in ids.get(path, set()), (source, href)


def test_home_page_shows_the_timeline_and_counts(browser, site):
    page, errors = _open(browser, (site / "index.html").as_uri())
    assert page.locator("figure.chart svg").count() == 1
    assert "Events by type and date" in page.locator("figure.chart").inner_text()
    assert page.locator("main table").count() >= 1
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "home.png"))
    assert not errors


def test_entity_page_lists_roles_events_and_statements(browser, site):
    page, errors = _open(browser, (site / page_path("ent:lloyd-austin")).as_uri())
    assert page.locator("h1").inner_text().startswith("Lloyd J. Austin III")
    headings = page.locator("h2").all_inner_texts()
    assert {"Roles over time", "Statements", "Evidence"} <= {h.split("\n")[0].strip() for h in headings}
    assert any(h.startswith("Events") for h in headings)
    page.screenshot(path=str(ARTIFACTS / "entity.png"))
    assert not errors


def test_evidence_view_highlights_exactly_the_quote(browser, site):
    import usua

    ev = next(
        e
        for e in usua.load("evidence").to_dicts()
        if e["record"] == "evt:2021-08-31-austin-zelenskyy-pentagon-meeting"
        and e["path"] == ""
        and "\n" not in e["quote"]
    )
    block = anchor("ev", ev["record"], "record", ev["n"])
    page, errors = _open(browser, (site / page_path(ev["record"])).as_uri() + f"#{block}")
    marks = page.locator(f"#{block} mark.quote").all_inner_texts()
    assert "\n".join(marks) == ev["quote"]
    assert page.locator(f"#{block} .line").count() >= 3  # the lines around it
    assert page.evaluate(f"document.querySelector('#{block}').matches(':target')")
    page.locator(f"#{block}").screenshot(path=str(ARTIFACTS / "evidence.png"))
    # a quote from a text that may not be redistributed: the quote alone, no context lines
    other = next(
        e
        for e in usua.load("evidence").to_dicts()
        if e["document"] == "doc:2024-biden-to-sign-security-agreement" and e["record"].startswith("evt:")
    )
    oblock = anchor("ev", other["record"], other["path"] or "record", other["n"])
    page2, errors2 = _open(browser, (site / page_path(other["record"])).as_uri() + f"#{oblock}")
    assert page2.locator(f"#{oblock} mark.quote").inner_text() == other["quote"]
    assert page2.locator(f"#{oblock} .line").count() == 0
    assert "not redistributed" in page2.locator(f"#{oblock}").inner_text()
    assert not errors and not errors2


def test_search_finds_a_name_and_pages_work_without_javascript(browser, site):
    page, errors = _open(browser, (site / "search.html").as_uri() + "?q=Zelensk")
    page.wait_for_selector("#results li")
    results = page.locator("#results a").all_inner_texts()
    assert "Volodymyr Zelenskyy" in results
    page.screenshot(path=str(ARTIFACTS / "search.png"))
    assert not errors
    page.close()


def test_pages_work_without_javascript(playwright, site, tmp_path):
    context = _launch(playwright, tmp_path / "profile", java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto((site / "search.html").as_uri() + "?q=Austin")
        assert page.locator("#results li").count() == 0
        assert "Search needs JavaScript" in page.locator("main").inner_text()
        page.locator("main a", has_text="entities").click()
        page.locator("a", has_text="Lloyd J. Austin III").first.click()
        assert page.locator("h1").inner_text().startswith("Lloyd J. Austin III")
        page.locator("a.cite").first.click()
        assert page.evaluate("document.querySelector(':target') !== null")
    finally:
        context.close()
