"""cmforge studio's server, without a browser: a real uvicorn on loopback, real previews
(tiny), real HTTP through httpx and http.client (which sends paths as written)."""

from __future__ import annotations

import http.client
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("starlette")
pytest.importorskip("watchfiles")

import httpx  # noqa: E402

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
duration = 1.0

[[variants]]
name = "first"

[[variants]]
name = "second"
vars = { headline = "Second" }
"""


def settle(studio: Studio, timeout: float = 90) -> dict:
    """The state once no preview is due or rendering."""
    end = time.monotonic() + timeout
    time.sleep(0.1)
    while time.monotonic() < end:
        if studio.idle() and studio.snapshot()["status"] not in ("starting", "rendering"):
            return studio.snapshot()
        time.sleep(0.1)
    raise AssertionError(f"the studio did not settle: {studio.snapshot()['message']}")


@pytest.fixture(scope="module")
def running(tmp_path_factory):
    folder = tmp_path_factory.mktemp("studio")
    (folder / "recipe.toml").write_text(RECIPE, encoding="utf-8")
    outside = tmp_path_factory.mktemp("outside")
    (outside / "secret.txt").write_text("not yours", encoding="utf-8")
    (folder / "leak.txt").symlink_to(outside / "secret.txt")
    studio = Studio(folder / "recipe.toml", plan_text=plan_table, quiet=0.4)
    with serve(studio) as r:
        settle(studio)
        yield r


def raw_get(r, path: str, headers: dict | None = None) -> tuple[int, bytes]:
    """GET with the path sent byte for byte (httpx would remove dot segments)."""
    c = http.client.HTTPConnection("127.0.0.1", r.port, timeout=10)
    c.request("GET", path, headers=headers or {})
    resp = c.getresponse()
    body = resp.read()
    c.close()
    return resp.status, body


def test_the_served_html_lists_each_variant_with_a_link_to_its_preview(running):
    page = httpx.get(running.url).text
    for name in ("first", "second"):
        link = re.search(rf'href="(/files/out/{name}\.preview\.mp4\?v=\d+)"', page)
        assert link, f"no link to {name}'s preview in the page as served"
        video = httpx.get(running.url.rstrip("/") + link.group(1))
        assert video.status_code == 200 and video.content[4:8] == b"ftyp"
    assert "Plan" in page and "scenes[0].duration" in page  # the plan and the timing warning


def test_range_requests_answer_206_with_the_right_bytes(running):
    path = running.studio.path.parent / "out" / "first.preview.mp4"
    whole = path.read_bytes()
    r = httpx.get(running.url + "files/out/first.preview.mp4", headers={"Range": "bytes=100-199"})
    assert r.status_code == 206
    assert r.content == whole[100:200]
    assert r.headers["content-range"] == f"bytes 100-199/{len(whole)}"


@pytest.mark.parametrize(
    "path",
    [
        "/files/../outside/secret.txt",
        "/files/%2e%2e/%2e%2e/etc/passwd",
        "/files/out/%2E%2E/%2E%2E/%2E%2E/etc/passwd",
        "/files//etc/passwd",
        "/files/%2Fetc%2Fpasswd",
        "/files/leak.txt",  # a symlink leading out of the folder
        "/files/..%2f..%2fetc/passwd",
        "/static/../session.py",
    ],
)
def test_paths_leading_out_of_the_folder_answer_404(running, path):
    status, body = raw_get(running, path)
    assert status == 404, (path, body[:80])
    assert b"root:" not in body and b"not yours" not in body


def test_a_foreign_host_or_origin_is_refused(running):
    assert raw_get(running, "/", {"Host": "evil.example:80"})[0] == 403
    assert raw_get(running, "/", {"Host": f"127.0.0.1:{running.port}"})[0] == 200
    assert raw_get(running, "/", {"Host": f"localhost:{running.port}"})[0] == 200
    r = httpx.post(
        running.url + "api/guides",
        json={"on": False},
        headers={"Origin": "http://evil.example", "X-Cmforge-Token": running.studio.token},
    )
    assert r.status_code == 403


def test_state_changing_requests_need_the_page_token(running):
    token = re.search(r'name="cmforge-token" content="([^"]+)"', httpx.get(running.url).text)
    assert token and token.group(1) == running.studio.token
    for url, body in (("api/final", {}), ("api/generate", {"usd": 0}), ("api/guides", {})):
        assert httpx.post(running.url + url, json=body).status_code == 403
        wrong = {"X-Cmforge-Token": "guess"}
        assert httpx.post(running.url + url, json=body, headers=wrong).status_code == 403
    ok = {"X-Cmforge-Token": token.group(1), "Origin": running.url.rstrip("/")}
    r = httpx.post(running.url + "api/generate", json={"usd": 0}, headers=ok)
    assert r.status_code == 409 and "nothing to generate" in r.json()["why"]


def test_ten_saves_in_a_second_render_once_the_latest(running):
    studio = running.studio
    recipe = studio.path
    before = studio.renders
    for i in range(10):
        recipe.write_text(RECIPE.replace('"Hello"', f'"Save {i}"'), encoding="utf-8")
        time.sleep(0.1)
    state = settle(studio)
    assert studio.renders == before + 1, "a burst of saves must cause exactly one preview"
    assert state["status"] == "ready"
    assert "Save 9" in state["variants"][0]["plan"] or state["variants"][0]["preview_at"]


def test_a_broken_save_shows_the_error_and_keeps_the_last_preview(running):
    studio = running.studio
    good = settle(studio)
    broken = RECIPE.replace("duration = 1.0", "duration = -1")
    studio.path.write_text(broken, encoding="utf-8")
    time.sleep(0.6)
    state = settle(studio)
    assert state["status"] == "broken"
    [problem] = state["problems"]
    assert problem["line"] == 12 and problem["key"].startswith("scenes[0].duration")
    assert [12, "duration = -1"] in problem["context"]
    assert state["variants"][0]["preview_at"] == good["variants"][0]["preview_at"]
    studio.path.write_text(RECIPE, encoding="utf-8")
    time.sleep(0.6)
    assert settle(studio)["status"] == "ready"


def test_a_superseded_preview_is_cancelled_without_half_written_files(running):
    studio = running.studio
    settle(studio)
    # long enough (two variants of 60 s) that the newer save always lands mid-render, even
    # on a quiet machine where a 6 s preview was over before the watcher saw the second save
    longer = RECIPE.replace("duration = 1.0", "duration = 60.0").replace('"Hello"', '"Long"')
    studio.path.write_text(longer, encoding="utf-8")
    cancelled = studio.cancelled
    end = time.monotonic() + 30
    while not studio.snapshot()["status"] == "rendering" and time.monotonic() < end:
        time.sleep(0.02)
    time.sleep(0.3)  # into the render
    studio.path.write_text(RECIPE, encoding="utf-8")
    studio.touch()  # the save as the watcher reports it, without waiting for its debounce
    state = settle(studio)
    assert state["status"] == "ready"
    assert studio.cancelled == cancelled + 1
    out = studio.path.parent / "out"
    assert not [p for p in out.iterdir() if p.name.startswith(".")], os.listdir(out)


def test_render_final_of_one_variant_shows_progress_and_writes_it(running):
    studio = running.studio
    settle(studio)
    ok = {"X-Cmforge-Token": studio.token}
    r = httpx.post(running.url + "api/final", json={"variant": "second"}, headers=ok)
    assert r.status_code == 202, r.text
    end = time.monotonic() + 60
    while not (studio.snapshot()["job"] or {}).get("done") and time.monotonic() < end:
        time.sleep(0.1)
    job = studio.snapshot()["job"]
    assert job["done"] and not job["errors"], job
    assert job["progress"] == {"second": 1.0}
    assert job["files"] == ["/files/out/second.mp4"]
    assert httpx.get(running.url + "files/out/second.mp4").content[4:8] == b"ftyp"
    assert not (studio.path.parent / "out" / "first.mp4").exists()  # one variant only
    bad = httpx.post(running.url + "api/final", json={"variant": "third"}, headers=ok)
    assert bad.status_code == 409 and "third" in bad.json()["why"]


def test_the_guides_toggle_renders_the_previews_with_the_safe_zone(running):
    studio = running.studio
    settle(studio)
    before = studio.renders
    ok = {"X-Cmforge-Token": studio.token}
    assert httpx.post(running.url + "api/guides", json={"on": True}, headers=ok).json() == {
        "guides": True
    }
    state = settle(studio)
    assert state["guides"] is True and studio.renders == before + 1
    assert 'id="guides" checked' in httpx.get(running.url).text
    httpx.post(running.url + "api/guides", json={"on": False}, headers=ok)
    settle(studio)


PAID = """[output]
size = [180, 320]
fps = 10
path = "out/{{variant}}.mp4"

[generate]
max_cost = BUDGET

[[stills]]
path = "gen/bg.png"
provider = "flux"
prompt = "a classroom"

[[scenes]]
type = "title"
text = "Hi"
background = "gen/bg.png"
duration = 1.5
"""


@pytest.mark.parametrize(
    ("budget", "shown", "why"),
    [("0.01", 0.04, "above the budget"), ("1.00", 0.0, "the cost is now $0.04")],
)
def test_generate_needs_the_cost_shown_and_within_the_budget(
    tmp_path, monkeypatch, budget, shown, why
):
    monkeypatch.setenv("BFL_API_KEY", "a key: the still would be paid")
    (tmp_path / "recipe.toml").write_text(PAID.replace("BUDGET", budget), encoding="utf-8")
    studio = Studio(tmp_path / "recipe.toml", quiet=0.1)
    with serve(studio) as r:
        state = settle(studio)
        assert state["status"] == "waiting"  # a save never pays: no preview until generated
        assert state["cost"]["usd"] == 0.04 and state["cost"]["items"] == 1
        assert "flux: 1 item(s), 4 FLUX credits = $0.04" in httpx.get(r.url).text
        ok = {"X-Cmforge-Token": studio.token}
        answer = httpx.post(r.url + "api/generate", json={"usd": shown}, headers=ok)
        assert answer.status_code == 409 and why in answer.json()["why"]
        assert not (tmp_path / "gen" / "bg.png").exists()


def test_saving_a_media_file_outside_the_folder_renders_again(tmp_path):
    from PIL import Image

    media = tmp_path / "media"
    media.mkdir()
    Image.new("RGB", (90, 160), (200, 40, 40)).save(media / "pic.png")
    folder = tmp_path / "ad"
    folder.mkdir()
    text = RECIPE.replace(
        'text = "{{headline}}"\nduration = 1.0',
        'text = "{{headline}}"\nduration = 1.0\nbackground = "../media/pic.png"',
    ).replace('[[variants]]\nname = "second"\nvars = { headline = "Second" }\n', "")
    (folder / "recipe.toml").write_text(text, encoding="utf-8")
    studio = Studio(folder / "recipe.toml", quiet=0.2)
    with serve(studio):
        assert settle(studio)["status"] == "ready", studio.snapshot()["message"]
        before = studio.renders
        time.sleep(0.5)  # the watcher follows the media's folder once the recipe is read
        Image.new("RGB", (90, 160), (40, 40, 200)).save(media / "pic.png")
        end = time.monotonic() + 20
        while studio.renders == before and time.monotonic() < end:
            time.sleep(0.1)
        assert studio.renders == before + 1
        assert settle(studio)["status"] == "ready"


def test_the_command_prints_its_loopback_url_and_warns_of_another_host(tmp_path):
    (tmp_path / "recipe.toml").write_text(RECIPE, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "src")}
    cmd = [sys.executable, "-m", "cmforge.cli", "studio", str(tmp_path / "recipe.toml")]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
    try:
        line = proc.stdout.readline()
        url = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        assert url, line
        assert "cmforge studio" in httpx.get(url.group(0), timeout=10).text
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    assert "warning" not in proc.stderr.read()
    missing = subprocess.run(
        [*cmd[:-1], str(tmp_path / "nope.toml")], capture_output=True, text=True, env=env
    )
    assert missing.returncode == 2 and "nope.toml" in missing.stderr
    assert "Traceback" not in missing.stderr
    proc = subprocess.Popen(
        [*cmd, "--host", "0.0.0.0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        text=True,
    )
    try:
        assert "http://0.0.0.0:" in proc.stdout.readline()
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    assert "other machines" in proc.stderr.read()


def test_the_page_brings_its_japanese_font(running):
    """The plan table and problems show Japanese even in a browser with no CJK font: the CSS
    names the font cmforge draws with, last in each stack, and the studio serves it."""
    css = httpx.get(running.url + "static/studio.css").text
    assert 'url("/font/jp.otf")' in css and css.count('"cmforge-jp"') >= 4
    r = httpx.get(running.url + "font/jp.otf")
    assert r.status_code == 200 and r.headers["content-type"] == "font/otf"
    assert r.content[:4] == b"OTTO"  # an OpenType font with CFF outlines
