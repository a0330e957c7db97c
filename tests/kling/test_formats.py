"""One paid clip per scene, not per format (issue 11, section 2): `cmforge generate` in two
formats against the simulator creates one image-to-video task, and tasks journalled under
the fingerprint earlier versions gave a clip are picked up instead of paid again."""

from __future__ import annotations

import media
import pytest
from kling_helpers import Statuses, client_for, generate_record, provider_for

from cmforge.cli import main
from cmforge.generate.base import ASPECTS, GenerationJob
from cmforge.generate.jobs import fingerprint
from cmforge.generate.kling.request import external_task_id

RECIPE = """[output]
size = [180, 320]
fps = 15
[generate]
max_credits = 100
[[scenes]]
type = "clip"
duration = 2.0
  [scenes.generate]
  {generate}
[[variants]]
name = "tall"
[[variants]]
name = "wide"
output = {{ size = [320, 180] }}
"""
I2V = 'image = "student.png"\n  prompt = "A student raises a hand"'
T2V = 'prompt = "A red sneaker turning on a white table"'


@pytest.fixture
def kling(monkeypatch, sim):
    for k, v in sim.env().items():
        monkeypatch.setenv(k, v)
    monkeypatch.setenv("CMFORGE_KLING_POLL_SCALE", "0.02")
    return sim


def test_image_to_video_in_two_formats_is_paid_once(project, kling, capsys):
    media.still(project.folder / "student.png", (720, 1280))
    path = project(RECIPE.format(generate=I2V))
    assert main(["plan", str(path)]) == 0
    assert capsys.readouterr().out.count("one clip for all formats") == 2
    assert main(["generate", str(path)]) == 0
    assert kling.create_count == 1
    assert main(["generate", str(path)]) == 0
    assert kling.create_count == 1, "a rerun creates nothing"


def test_text_to_video_plan_says_which_format_each_paid_clip_is_for(project, kling, capsys):
    path = project(RECIPE.format(generate=T2V))
    shared = project(RECIPE.format(generate=T2V + '\n  aspect_ratio = "9:16"'), "shared.toml")
    assert main(["plan", str(path)]) == 0
    out = capsys.readouterr().out
    assert "in 9:16 for the 9:16 format" in out and "in 16:9 for the 16:9 format" in out
    assert main(["plan", str(shared)]) == 0
    assert capsys.readouterr().out.count("in 9:16 (aspect in the recipe") == 2
    assert main(["generate", str(shared)]) == 0
    assert kling.create_count == 1, "the 9:16 clip serves both formats"
    assert main(["generate", str(path)]) == 0
    assert kling.create_count == 2, "the same 9:16 request is not paid again; 16:9 is"


def _legacy_and_new(tmp_path, image):
    gen = generate_record(image=image, aspect_ratio=None)
    old = fingerprint(gen, "local", "9:16")  # what every provider shared before
    new = fingerprint(gen, "kling", "16:9")
    dest = tmp_path / "cache" / f"{new[:32]}.mp4"
    return gen, old, GenerationJob("scenes[0]", gen, new, dest, ASPECTS["16:9"], 1, "kling",
                                   earlier=(old,))  # fmt: skip


@pytest.mark.parametrize("answer", ["kept", "lost"])
def test_a_task_journalled_under_an_earlier_fingerprint_is_picked_up(
    sim, tmp_path, make_image, answer
):
    gen, old, job = _legacy_and_new(tmp_path, make_image())
    provider = provider_for(client_for(sim), tmp_path)
    ext = external_task_id(old, 1)
    task = provider.client.create(
        "image2video", {"image": _b64(gen.image), "external_task_id": ext}
    )
    provider.journal.intent(ext, key=ext, scene="scenes[0]", family="image2video", attempt=1,
                            request={})  # fmt: skip
    if answer == "kept":
        provider.journal.created(ext, task.task_id)
    said = Statuses()
    result = provider.generate(job, said)
    assert sim.create_count == 1 and result.task_id == task.task_id
    assert any("picking up task" in m for m in said)
    assert job.dest.is_file()


def test_an_earlier_intent_kling_never_got_is_created_under_the_new_name(sim, tmp_path, make_image):
    gen, old, job = _legacy_and_new(tmp_path, make_image())
    provider = provider_for(client_for(sim), tmp_path)
    ext = external_task_id(old, 1)
    provider.journal.intent(ext, key=ext, scene="scenes[0]", family="image2video", attempt=1,
                            request={})  # fmt: skip
    result = provider.generate(job, Statuses())
    assert sim.create_count == 1
    new_key = external_task_id(job.fingerprint, 1)
    assert sim.tasks[result.task_id].facts.external_task_id == new_key
    assert provider.journal.for_job(new_key)[-1].state == "downloaded"


def _b64(path) -> str:
    import base64

    return base64.b64encode(path.read_bytes()).decode()
