"""Batches of variants: --jobs, --resume, failures, the storyboard and the batch report."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import av
import media
import numpy as np
import pytest
from look import facts
from PIL import Image

from cmforge import load_recipe
from cmforge.batch import COLUMNS, default_jobs, is_current, render_batch
from cmforge.batch.storyboard import ROW_H
from cmforge.cli import main

RECIPE = """[output]
size = [64, 112]
fps = 10
[vars]
clip = "a"
[[scenes]]
type = "title"
text = "{{headline}}"
background = "#1d3557"
duration = 0.5
[[scenes]]
type = "clip"
src = "clips/{{clip}}.mp4"
duration = 0.5
transition = { type = "fade", duration = 0.2 }
[[scenes]]
type = "title"
text = "{{variant}}"
background = "#ffffff"
color = "#e63946"
duration = 0.4
[[variants]]
name = "a"
vars = { headline = "合格実績 No.1!" }
[[variants]]
name = "b"
vars = { headline = "今なら 0円", clip = "b" }
"""
FRAMES = 12  # 0.5 + 0.5 - 0.2 + 0.4 s at 10 fps


@pytest.fixture
def ad(project):
    """A two-variant recipe whose variants play different clips (clips/a.mp4, clips/b.mp4)."""
    clips = project.folder / "clips"
    clips.mkdir()
    media.video(clips / "a.mp4", size="64x112", rate="10", dur=1.0)
    media.video(clips / "b.mp4", size="64x112", rate="10", dur=1.0, src="testsrc")
    return project(RECIPE)


def pixels(path: Path) -> list[np.ndarray]:
    with av.open(str(path)) as c:
        return [f.to_ndarray() for f in c.decode(video=0)]


def test_jobs_2_renders_the_same_files_as_jobs_1(ad, capsys) -> None:
    out1, out2 = ad.parent / "one", ad.parent / "two"
    assert main(["render", str(ad), "--jobs", "1", "--output", str(out1), "--quiet"]) == 0
    assert main(["render", str(ad), "--jobs", "2", "--output", str(out2), "--quiet"]) == 0
    printed = capsys.readouterr()
    assert printed.err == "", "--quiet prints nothing but the files"
    assert f"{out2}/a.mp4" in printed.out and f"{out2}/storyboard.png" in printed.out
    for name in ("a", "b"):
        f1, f2 = facts(out1 / f"{name}.mp4"), facts(out2 / f"{name}.mp4")
        assert f1.frames == f2.frames == FRAMES
        p1, p2 = pixels(out1 / f"{name}.mp4"), pixels(out2 / f"{name}.mp4")
        assert all(np.array_equal(x, y) for x, y in zip(p1, p2, strict=True))
    assert not np.array_equal(pixels(out2 / "a.mp4")[0], pixels(out2 / "b.mp4")[0])
    for folder in (out1, out2):
        names = {p.name for p in folder.iterdir()}
        assert {"a.mp4", "b.mp4", "storyboard.png", "batch.json", "batch.csv"} <= names
        assert not [n for n in names if n.startswith(".")], "nothing half-written is left behind"


def test_storyboard_and_report(ad, capsys) -> None:
    recipes = load_recipe(ad)
    events: list[str] = []
    result = render_batch(recipes, jobs=2, on_event=events.append)
    assert result.ok and [v.status for v in result.variants] == ["rendered", "rendered"]
    out = ad.parent / "out"
    assert result.storyboard == out / "storyboard.png"
    sheet = np.asarray(Image.open(result.storyboard).convert("RGB")).astype(float)
    assert sheet.shape[0] == 2 * ROW_H, "one row per variant"
    thumb_w = round(160 * 64 / 112)
    assert sheet.shape[1] >= 300 + 3 * thumb_w, "a label and a key frame per scene"
    rows = [sheet[:ROW_H], sheet[ROW_H:]]
    assert all(r.std() > 20 for r in rows), "not a blank picture"
    assert np.abs(rows[0] - rows[1]).mean() > 1, "the A/B rows differ"
    labels = [r[:, :300] for r in rows]
    assert all((lab.max(axis=2) > 200).sum() > 100 for lab in labels), "labels are drawn"

    doc = json.loads((out / "batch.json").read_text(encoding="utf-8"))
    [a, b] = doc["variants"]
    assert set(a) == set(COLUMNS)
    assert a["variant"] == "a" and a["status"] == "rendered" and a["error"] == ""
    assert a["output"] == str(out / "a.mp4") and a["bytes"] == (out / "a.mp4").stat().st_size
    assert a["size"] == "64x112" and a["duration"] == pytest.approx(1.2)
    assert a["render_seconds"] > 0 and a["cache_hits"] == 0 and a["generated_clips"] == 0
    # what each variant changes: the recipe's own account, else the vars that vary
    assert "合格実績 No.1!" in a["differs"].values() and "今なら 0円" in b["differs"].values()
    with open(out / "batch.csv", encoding="utf-8", newline="") as f:
        rows_csv = list(csv.DictReader(f))
    assert list(rows_csv[0]) == COLUMNS
    assert [r["variant"] for r in rows_csv] == ["a", "b"] and rows_csv[1]["status"] == "rendered"
    assert 'headline = "今なら 0円"' in rows_csv[1]["differs"]
    assert isinstance(a["integrated_lufs"], float), "the clip's sound was measured"
    assert float(rows_csv[0]["integrated_lufs"]) == a["integrated_lufs"]


def test_resume_skips_what_is_current(ad, capsys) -> None:
    out = ad.parent / "out"
    assert main(["render", str(ad), "--jobs", "2"]) == 0
    capsys.readouterr()
    made = {n: (out / f"{n}.mp4").stat().st_mtime_ns for n in "ab"}
    [ra, rb] = load_recipe(ad)
    assert is_current(ra, out / "a.mp4") == (True, "up to date")

    assert main(["render", str(ad), "--resume"]) == 0
    err = capsys.readouterr().err
    assert "a: skipped (up to date)" in err and "b: skipped (up to date)" in err
    assert {n: (out / f"{n}.mp4").stat().st_mtime_ns for n in "ab"} == made
    row = json.loads((out / "batch.json").read_text())["variants"][0]
    assert row["status"] == "skipped" and row["render_seconds"] == 0 and row["bytes"] > 0

    media.video(ad.parent / "clips" / "b.mp4", size="64x112", rate="10", dur=1.0, src="rgbtestsrc")
    assert is_current(rb, out / "b.mp4") == (False, "b.mp4 changed")
    (out / "a.mp4").unlink()
    assert is_current(ra, out / "a.mp4") == (False, "no video yet")
    assert main(["render", str(ad), "--resume"]) == 0
    err = capsys.readouterr().err
    assert "skipped" not in err and "b: b.mp4 changed: rendering again" in err
    assert (out / "b.mp4").stat().st_mtime_ns != made["b"] and (out / "a.mp4").is_file()

    assert main(["render", str(ad), "--resume", "--set", "output.fps=20"]) == 0
    assert "the ffmpeg command changed" in capsys.readouterr().err
    manifest = out / "a.manifest.json"
    m = json.loads(manifest.read_text())
    manifest.write_text(json.dumps({**m, "output": {**m["output"], "frames": 99}}))
    assert is_current(load_recipe(ad, sets=["output.fps=20"])[0], out / "a.mp4")[1].startswith(
        "the video has"
    )


def test_a_failed_variant_then_resume(ad, capsys) -> None:
    out = ad.parent / "out"
    bad = ad.parent / "clips" / "b.mp4"
    media.video(bad, size="64x112", rate="10", dur=1.0, extra=["-movflags", "+faststart"])
    good = bad.read_bytes()
    bad.write_bytes(good[: len(good) * 6 // 10])  # probes fine, breaks off while decoding
    assert main(["render", str(ad), "--jobs", "2"]) == 1
    err = capsys.readouterr().err
    assert "cmforge: b failed: ffmpeg failed" in err and "1 of 2 variants failed" in err
    assert (out / "a.mp4").is_file() and not (out / "b.mp4").exists()
    assert not list(out.glob(".*")), "no partial files"
    rows = {r["variant"]: r for r in json.loads((out / "batch.json").read_text())["variants"]}
    assert rows["a"]["status"] == "rendered"
    assert rows["b"]["status"] == "failed" and rows["b"]["error"].startswith("ffmpeg failed")
    assert rows["b"]["bytes"] is None and rows["b"]["integrated_lufs"] is None
    sheet = Image.open(out / "storyboard.png")
    assert sheet.height == ROW_H, "the storyboard shows the variant that rendered"

    bad.write_bytes(good)
    assert main(["render", str(ad), "--resume"]) == 0
    err = capsys.readouterr().err
    assert "a: skipped (up to date)" in err and "b: rendering" in err
    assert facts(out / "b.mp4").frames == FRAMES
    assert Image.open(out / "storyboard.png").height == 2 * ROW_H


def test_a_shared_clip_is_generated_once(project, monkeypatch) -> None:
    """Two variants running at once that need the same generated clip: one makes it."""
    from cmforge.generate.base import GenerationResult
    from cmforge.generate.local import LocalProvider

    made: list[Path] = []

    def generate(self, job, on_status, take=1):  # noqa: ANN001, ANN202
        made.append(job.dest)
        job.dest.parent.mkdir(parents=True, exist_ok=True)
        media.video(job.dest, size="72x128", rate="24", dur=5.0, audio=None)
        return GenerationResult(job.dest, "local", job.request())

    monkeypatch.setattr(LocalProvider, "generate", generate)
    media.still(project.folder / "s.png", (72, 128))
    fade = 'transition = { type = "fade", duration = 0.2 }\n'
    generate = '  [scenes.generate]\n  image = "s.png"\n  prompt = "p"\n'
    text = RECIPE.replace('src = "clips/{{clip}}.mp4"\n', "").replace(fade, fade + generate)
    path = project(text)
    [ra, rb] = load_recipe(path)
    assert ra.scenes[1].generate is not None
    result = render_batch([ra, rb], jobs=2)
    assert result.ok and len(made) == 1
    rows = json.loads((path.parent / "out" / "batch.json").read_text())["variants"]
    assert sum(r["generated_clips"] for r in rows) == 1


def test_variants_sharing_scenes_render_at_once(ad, monkeypatch, capsys) -> None:
    """A/B variants that share scenes, rendered two at once with nothing cached yet."""
    monkeypatch.setenv("CMFORGE_CACHE", str(ad.parent / "cache"))
    text = ad.read_text(encoding="utf-8")
    ad.write_text(text.replace("{{variant}}", "END").replace('clip = "b"', 'clip = "a"'))
    assert main(["render", str(ad), "--jobs", "2", "--quiet"]) == 0
    out = ad.parent / "out"
    a, b = pixels(out / "a.mp4"), pixels(out / "b.mp4")
    assert len(a) == len(b) == FRAMES and np.array_equal(a[-1], b[-1])
    assert not np.array_equal(a[0], b[0])


def test_batch_progress_display() -> None:
    from cmforge.cli.progress import BatchProgress

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    tty, plain, quiet = Tty(), io.StringIO(), io.StringIO()
    os.environ["NO_COLOR"] = "1"
    try:
        for stream, q in ((tty, False), (plain, False), (quiet, True)):
            show = BatchProgress(stream, quiet=q)
            a, b = show.variant("a", 100), show.variant("b", 100)
            a(50, 100)
            show.say("b: rendering")
            b(100, 100)
            b.finish()
            a(100, 100)
            a.finish()
            show.finish()
    finally:
        os.environ.pop("NO_COLOR")
    assert quiet.getvalue() == ""
    assert "b: rendering\n" in plain.getvalue() and "a: 100%" in plain.getvalue()
    assert "\r" not in plain.getvalue()
    last = tty.getvalue().rstrip("\n").rsplit("\r", 1)[-1]
    assert "100.0%" in last and "2/2 done" in last and tty.getvalue().endswith("\n")
    show = BatchProgress(Tty())
    a, b = show.variant("a", 10), show.variant("b", 30)
    a(10, 10)
    b(15, 30)
    assert "62.5%" in show.line() and "b 50%" in show.line() and "0/2 done" in show.line()


def test_default_jobs_is_half_the_cores(monkeypatch) -> None:
    monkeypatch.setattr(os, "cpu_count", lambda: 8)
    assert default_jobs() == 4
    monkeypatch.setattr(os, "cpu_count", lambda: 1)
    assert default_jobs() == 1


# --- the same batch on a Dask cluster ---------------------------------------------------------


@pytest.fixture(scope="module")
def cluster():
    distributed = pytest.importorskip("distributed")
    import logging

    with distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        silence_logs=logging.CRITICAL,
    ) as c:
        yield c


def test_dask_renders_what_a_local_batch_renders(ad, cluster, capsys) -> None:
    local, remote = ad.parent / "local", ad.parent / "remote"
    assert main(["render", str(ad), "--output", str(local), "--quiet"]) == 0
    args = ["--executor", "dask", "--scheduler", cluster.scheduler_address]
    assert main(["render", str(ad), *args, "--output", str(remote)]) == 0
    err = capsys.readouterr().err
    assert "sent to the Dask cluster" in err and "b: rendered in" in err
    for name in ("a", "b"):
        p1, p2 = pixels(local / f"{name}.mp4"), pixels(remote / f"{name}.mp4")
        assert len(p1) == FRAMES and all(np.array_equal(x, y) for x, y in zip(p1, p2))
    assert (remote / "storyboard.png").is_file() and not list(remote.glob(".*"))
    assert main(["render", str(ad), "--executor", "dask", "--output", str(remote)]) == 2
    assert "--scheduler" in capsys.readouterr().err


def die_once(folder: str, task):  # noqa: ANN001, ANN201
    """A Dask task whose worker process dies in the middle of variant a's first render."""
    marker = Path(folder) / f"died-{task.variant}"
    if task.variant == "a" and not marker.exists():
        from cmforge.pipeline import render

        marker.write_text(str(os.getpid()))
        render(task.recipe, on_progress=lambda done, total: os._exit(1))
    from cmforge.batch.executors import dask_render

    return dask_render(task)


def test_dask_retries_a_variant_whose_worker_died(ad, cluster) -> None:
    import functools
    import sys

    import cloudpickle

    from cmforge.batch import DaskExecutor

    cloudpickle.register_pickle_by_value(sys.modules[__name__])
    executor = DaskExecutor(cluster.scheduler_address, task=functools.partial(die_once, ad.parent))
    result = render_batch(load_recipe(ad), executor=executor)
    pid = int((ad.parent / "died-a").read_text())
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)  # the worker that ran a's first try is gone
    assert result.ok and [v.status for v in result.variants] == ["rendered", "rendered"]
    out = ad.parent / "out"
    assert facts(out / "a.mp4").frames == FRAMES
    assert not list(out.glob(".*")), "the dead render's partial file is swept"


def test_resume_renders_a_damaged_video_again(tmp_path) -> None:
    """A truncated file keeps its header (frame count) but not its bytes: not current."""
    from recipes import load_one, output, title, write

    from cmforge import render

    r = load_one(write(tmp_path, output(size=(96, 160), fps=10) + title("A")))
    out = render(r)
    assert is_current(r, out) == (True, "up to date")
    data = out.read_bytes()
    out.write_bytes(data[: len(data) // 2] + bytes(len(data) - len(data) // 2))
    current, why = is_current(r, out)
    assert not current and "damaged" in why
