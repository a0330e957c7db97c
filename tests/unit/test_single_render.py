"""Tier 1: a render of one variant is a batch of one (the batch runner renders it) and still
shows as a single render: "rendering NAME", the render's own messages unprefixed, no batch
reports, and a failure reported as the error it is. The render itself is replaced by a fake:
nothing is encoded."""

from __future__ import annotations

import pickle
import threading
from pathlib import Path

import pytest
from recipes import output, title, write

import cmforge.batch.executors as executors
from cmforge.batch import Event, ThreadExecutor, VariantTask
from cmforge.batch.events import DONE, RENDER
from cmforge.cli import main
from cmforge.errors import RenderError


@pytest.fixture
def one(tmp_path: Path) -> Path:
    """A recipe with one variant (named after the file: `recipe`)."""
    return write(tmp_path, output(size=(64, 112), fps=10) + title("A", duration=1.5))


@pytest.fixture
def renders(monkeypatch) -> list[dict]:
    """Every render the batch runner asked for: a fake that says a message and makes a file."""
    asked: list[dict] = []

    def render(recipe, **kw):  # noqa: ANN001, ANN202
        asked.append({**kw, "thread": threading.current_thread()})
        kw["on_event"]("music: none")
        kw["on_progress"](5, 5)
        out = recipe.output.path
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(b"video")
        return out

    monkeypatch.setattr(executors, "render", render)
    return asked


def failing(error: BaseException):  # noqa: ANN201
    def render(recipe, **kw):  # noqa: ANN001, ANN202
        raise error

    return render


def test_a_single_render_goes_through_the_batch_runner_and_shows_as_before(
    one, renders, capsys
) -> None:
    assert main(["render", str(one)]) == 0
    printed = capsys.readouterr()
    out = one.parent / "out" / "recipe.mp4"
    assert printed.out == f"{out}\n"
    lines = printed.err.splitlines()
    assert lines[:2] == ["rendering recipe", "  music: none"]
    assert "rendered in" not in printed.err and "recipe: music" not in printed.err
    assert [r["budget_checked"] for r in renders] == [True]
    assert renders[0]["thread"] is threading.main_thread(), "rendered in the caller's thread"
    assert sorted(p.name for p in out.parent.iterdir()) == ["recipe.mp4"], "no batch reports"


def test_a_single_preview_says_so_and_quiet_says_nothing(one, renders, capsys) -> None:
    assert main(["render", str(one), "--preview"]) == 0
    assert capsys.readouterr().err.startswith("rendering recipe (preview)\n  music: none\n")
    assert main(["render", str(one), "--quiet"]) == 0
    assert capsys.readouterr().err == ""


def test_a_failed_single_render_reports_its_error_as_it_is(one, monkeypatch, capsys) -> None:
    monkeypatch.setattr(executors, "render", failing(RenderError("the muxer gave up")))
    assert main(["render", str(one)]) == 1
    err = capsys.readouterr().err
    assert err.endswith("cmforge: the muxer gave up\n") and "failed:" not in err


def test_a_bug_in_a_single_render_is_reported_as_a_bug(one, monkeypatch, capsys) -> None:
    monkeypatch.setattr(executors, "render", failing(ValueError("odd")))
    assert main(["render", str(one)]) == 1
    err = capsys.readouterr().err
    assert "cmforge: internal error (ValueError: odd)." in err and "This is a bug" in err


def test_ctrl_c_stops_a_single_render_at_once(one, monkeypatch, capsys) -> None:
    monkeypatch.setattr(executors, "render", failing(KeyboardInterrupt()))
    assert main(["render", str(one)]) == 130
    assert "interrupted; no output was replaced" in capsys.readouterr().err


def test_several_jobs_render_in_threads_and_one_job_in_the_callers(one, renders) -> None:
    from cmforge import load_recipe

    [r] = load_recipe(one)
    tasks = [VariantTask(r), VariantTask(r)]
    list(ThreadExecutor(1).run(tasks, lambda _m: None, lambda _v: lambda _d, _t: None))
    list(ThreadExecutor(2).run(tasks, lambda _m: None, lambda _v: lambda _d, _t: None))
    threads = [a["thread"] for a in renders]
    assert threads[:2] == [threading.main_thread()] * 2
    assert threading.main_thread() not in threads[2:]


def test_an_event_is_the_batch_line_and_travels_whole() -> None:
    e = Event("b", "rendered in 3.1 s", DONE)
    assert e == "b: rendered in 3.1 s" and isinstance(e, str)
    back = pickle.loads(pickle.dumps(e))
    assert (back, back.variant, back.text, back.kind) == (e, "b", "rendered in 3.1 s", DONE)
    assert Event("a", "music: x").kind == RENDER
