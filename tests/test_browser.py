"""The HTML editions as readers get them: in a real browser (Debian's Chromium, driven by
Playwright), on a phone and on a desktop, audited for accessibility by axe-core.

Every page: no console error, no request beyond the page itself, no horizontal
scrolling at 360 px and 1280 px, a screenshot in test-artifacts/screens/, and no serious
or critical axe violation.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from .conftest import REPO

if TYPE_CHECKING:
    from playwright.sync_api import Browser

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
AXE = REPO / "tests/browser/node_modules/axe-core/axe.min.js"
SCREENS = REPO / "test-artifacts/screens"
WIDTHS = (360, 1280)
# Keep Chromium off the network entirely: no background fetches, no updates.
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run",
        "--disable-default-apps", "--disable-quic"]


def _missing() -> str | None:
    """What the browser tests lack on this machine, in words; None when nothing."""
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "Playwright is not installed (pip install '.[browser]')"
    if not CHROMIUM.exists():
        return f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    if not AXE.exists():
        return "axe-core is not installed (npm ci --prefix tests/browser)"
    return None


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    missing = _missing()
    if missing:
        # CI promises a browser: there a missing one is a failure, not a skip.
        if os.environ.get("CI") == "true":
            pytest.fail(f"browser tests cannot run under CI=true: {missing}")
        pytest.skip(f"browser tests skipped: {missing}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


def pages(build: Path) -> list[Path]:
    return [*sorted(build.glob("index*.html")), *sorted(build.glob("*/*.html"))]


@pytest.fixture(scope="module")
def audit(browser: Browser, sample_build: Path,
          example_build: Path) -> dict[str, dict[str, object]]:
    """Every page of the sample build and of the branded example, loaded at each width;
    what the browser saw."""
    SCREENS.mkdir(parents=True, exist_ok=True)
    results: dict[str, dict[str, object]] = {}
    every = [(page, page.relative_to(sample_build).as_posix()) for page in pages(sample_build)]
    every += [(page, "example/" + page.relative_to(example_build).as_posix())
              for page in pages(example_build)]
    for page_path, name in every:
        for width in WIDTHS:
            # At the widest the page is audited: axe is injected as a script, which the
            # page's own policy forbids, so that context bypasses it (and so also shows
            # that the page requests nothing even where no policy would stop it).
            audited = width == WIDTHS[-1]
            context = browser.new_context(viewport={"width": width, "height": 800},
                                          bypass_csp=audited)
            page = context.new_page()
            errors: list[str] = []
            requests: list[str] = []
            page.on("console", lambda m, e=errors: e.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda exc, e=errors: e.append(str(exc)))
            url = page_path.as_uri()
            page.on("request", lambda r, rq=requests, u=url: rq.append(r.url) if r.url != u
                    else None)
            page.goto(url, wait_until="load")
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - window.innerWidth")
            shot = SCREENS / f"{name.replace('/', '--')}-{width}.png"
            page.screenshot(path=str(shot), full_page=width == 360)
            entry: dict[str, object] = {"errors": errors, "requests": requests,
                                        "overflow": overflow}
            if audited:
                page.add_script_tag(path=str(AXE))
                report = page.evaluate("""async () => {
                    const r = await axe.run(document, {resultTypes: ['violations']});
                    return r.violations.map(v => ({id: v.id, impact: v.impact,
                        nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
                }""")
                entry["violations"] = report
            results[f"{name}@{width}"] = entry
            context.close()
    (SCREENS.parent / "axe.json").write_text(json.dumps(
        {k: v.get("violations") for k, v in results.items() if "violations" in v}, indent=1))
    return results


def test_every_page_was_seen(audit: dict[str, dict[str, object]], sample_build: Path,
                             example_build: Path) -> None:
    # 18 editions and the front page in English and Russian, in each project
    assert len(pages(sample_build)) == len(pages(example_build)) == 20
    assert len(audit) == 2 * 20 * len(WIDTHS)


def test_no_console_errors(audit: dict[str, dict[str, object]]) -> None:
    assert {k: v["errors"] for k, v in audit.items() if v["errors"]} == {}


def test_no_request_leaves_the_page(audit: dict[str, dict[str, object]], sample_build: Path,
                                    example_build: Path) -> None:
    """An edition requests nothing; a front page, only the pictures of the one-pagers
    it lists: PNG files in its own build folder."""
    def stray(name: str, requests: list[str]) -> list[str]:
        page = name.split("@")[0]
        folder = example_build if page.startswith("example/") else sample_build
        front = page.rpartition("/")[2].startswith("index")
        return [url for url in requests if not (
            front and url.startswith(folder.as_uri() + "/") and url.endswith(".png"))]

    assert {k: stray(k, v["requests"]) for k, v in audit.items()  # type: ignore[arg-type]
            if stray(k, v["requests"])} == {}  # type: ignore[arg-type]


def test_no_horizontal_scrolling(audit: dict[str, dict[str, object]]) -> None:
    assert {k: v["overflow"] for k, v in audit.items() if v["overflow"] > 0} == {}


def test_no_serious_accessibility_violations(audit: dict[str, dict[str, object]]) -> None:
    serious = {k: [v for v in entry["violations"] if v["impact"] in ("serious", "critical")]
               for k, entry in audit.items() if "violations" in entry}
    assert {k: v for k, v in serious.items() if v} == {}


def test_screenshots_are_saved(audit: dict[str, dict[str, object]]) -> None:
    shots = list(SCREENS.glob("*.png"))
    assert len(shots) >= 38 and all(s.stat().st_size > 1000 for s in shots)
