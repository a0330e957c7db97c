"""cmforge studio in a real browser: Debian's chromium driven by Playwright. Open the page, see
the variants, play a preview, edit the headline and see the page update, break the recipe and
see the error with its line, fix it and see it recover."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

pytest.importorskip("starlette")
sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright")

from cmforge.cli.plan_view import plan_table  # noqa: E402
from cmforge.studio import Studio, serve  # noqa: E402

RECIPE = """[output]
size = [180, 320]
fps = 10
path = "out/{{variant}}.mp4"

[vars]
headline = "Hello"

[[scenes]]
type = "title"
text = "{{headline}}"
duration = 2.0

[[variants]]
name = "first"

[[variants]]
name = "second"
vars = { headline = "Second" }
"""

CHROMIUM = os.environ.get("CMFORGE_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).is_file(),
    reason="no chromium to drive (Debian: apt-get install chromium; .ci/run installs it)",
)


def test_the_page_lives_in_a_real_browser(tmp_path: Path) -> None:
    recipe = tmp_path / "recipe.toml"
    recipe.write_text(RECIPE, encoding="utf-8")
    studio = Studio(recipe, plan_text=plan_table, quiet=0.3)
    with serve(studio) as r, sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--autoplay-policy=no-user-gesture-required"],
        )
        try:
            page = browser.new_page(viewport={"width": 1100, "height": 760})
            page.goto(r.url)
            expect = sync_api.expect
            # the variant names, then a preview that plays
            expect(page.locator("section.variant h2 a")).to_have_text(
                ["first", "second"], timeout=60_000
            )
            video = page.locator('section.variant[data-name="first"] video')
            expect(video).to_have_count(1, timeout=60_000)
            page.wait_for_function(
                "() => document.querySelector('section.variant video').readyState >= 2",
                timeout=20_000,
            )
            video.evaluate("v => v.play()")
            page.wait_for_function(
                "() => document.querySelector('section.variant video').currentTime > 0.2",
                timeout=20_000,
            )
            # a new headline: the page's plan and preview change without a reload
            page.evaluate("window.notReloaded = true")
            src = video.get_attribute("src")
            recipe.write_text(
                recipe.read_text(encoding="utf-8").replace('"Hello"', '"Fresh news"'),
                encoding="utf-8",
            )
            expect(page.locator("#plans")).to_contain_text("Fresh news", timeout=30_000)
            page.wait_for_function(
                f"() => document.querySelector('section.variant video').getAttribute('src') "
                f"!== {src!r}",
                timeout=30_000,
            )
            assert page.evaluate("window.notReloaded") is True
            shot = os.environ.get("CMFORGE_STUDIO_SCREENSHOT")
            if shot:  # docs/studio.png is made this way
                page.wait_for_timeout(1500)
                page.screenshot(path=shot)
            # a broken save: its error with its line; the last preview stays
            good = recipe.read_text(encoding="utf-8")
            recipe.write_text(good.replace("duration = 2.0", "duration = -1"), encoding="utf-8")
            problem = page.locator("#problems li.problem")
            expect(problem).to_contain_text("recipe.toml:12", timeout=30_000)
            expect(page.locator("#status")).to_have_class("status broken")
            expect(video).to_have_count(1)
            problem.first.click()
            expect(problem.locator(".context .here")).to_contain_text("duration = -1")
            # fixed: the problem goes, the status is good again
            recipe.write_text(good, encoding="utf-8")
            expect(page.locator("#problems li.problem")).to_have_count(0, timeout=30_000)
            expect(page.locator("#status")).to_have_class("status ready", timeout=60_000)
        finally:
            browser.close()
