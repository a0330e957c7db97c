"""Issue 11, section 4, at the assets stage: every generated file gets a provenance sidecar; a
stand-in still or clip is made again for real once a paying provider can run (priced and
budgeted like any paid item), unless the recipe pins it; a failed paid attempt puts the
stand-in back. The paying providers here exist only in this test (an easel draws stills, a
brush paints clips)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PIL import Image

from cmforge import load_recipe
from cmforge.assets import Budget, BudgetError, check_budget, gather, recipe_cost
from cmforge.assets.generation import generate_all, generation_plan
from cmforge.assets.standins import (
    aside_path,
    needs_real,
    provenance_path,
    read_provenance,
    will_be_stand_ins,
)
from cmforge.errors import GenerationError
from cmforge.generate import (
    GenerationJob,
    GenerationResult,
    Provider,
    jobs_for,
    register,
    unregister,
)

HEAD = "[output]\nsize = [180, 320]\nfps = 15\n"
STILL = '[[stills]]\npath = "gen/student.png"\nprompt = "A student in a classroom"\n'
IMAGE = '[[scenes]]\ntype = "image"\nsrc = "gen/student.png"\nduration = 1.0\n'


class Easel(Provider):
    """A paid still maker: 4 easel credits ($0.04) a still, when EASEL_KEY is set."""

    name = "easel"
    makes = "still"
    suffix = ".png"
    priority = 50
    fail = False

    @classmethod
    def available(cls, env):  # noqa: ANN001, ANN206
        return (True, "EASEL_KEY is set") if env.get("EASEL_KEY") else (False, "no EASEL_KEY")

    def estimate(self, job: GenerationJob) -> dict:
        return {
            "provider": self.name,
            "credits": 4,
            "unit": "easel credits",
            "money": 0.04,
            "currency": "USD",
            "what": "a painted still",
        }

    def generate(self, job: GenerationJob, on_status, take=1) -> GenerationResult:  # noqa: ANN001
        if self.fail:
            raise GenerationError("the easel fell over")
        Image.new("RGB", job.size, (200, 30, 30)).save(job.dest)
        return GenerationResult(job.dest, self.name, job.request(), "easel-1", 4.0, {}, 0.04)


@pytest.fixture
def easel(monkeypatch) -> Iterator[type[Easel]]:
    register(Easel)
    Easel.fail = False
    monkeypatch.delenv("EASEL_KEY", raising=False)
    yield Easel
    unregister("easel", "still")


def made_offline(project, keep: bool = False):  # noqa: ANN001, ANN201
    """A recipe whose still is made by the offline stand-in (no EASEL_KEY)."""
    text = HEAD + STILL + ("keep_stand_in = true\n" if keep else "") + IMAGE
    [r] = load_recipe(project(text))
    generate_all(r, gather(r), lambda _m: None)
    return r


def test_every_generated_file_gets_a_sidecar_saying_who_made_it(project, easel) -> None:
    r = made_offline(project)
    still = project.folder / "gen" / "student.png"
    side = read_provenance(still)
    assert provenance_path(still).name == "student.png.provenance.json"
    assert side["stand_in"] is True and side["provider"] == "local" and side["makes"] == "still"
    assert side["request"]["prompt"] == "A student in a classroom"
    assert gather(r).jobs == [], "offline, the stand-in is the still"
    assert will_be_stand_ins([], gather(r).used)[0]["key"] == "scenes[0].src"


def test_a_stand_in_is_made_for_real_within_the_budget_once_keys_are_set(
    project, easel, monkeypatch
) -> None:
    r = made_offline(project)
    monkeypatch.setenv("EASEL_KEY", "k")
    assets = gather(r)
    [job] = assets.jobs
    assert job.provider == "easel" and needs_real(job, r.folder)
    entries = generation_plan(r, assets)
    with pytest.raises(BudgetError, match=r"1 still\(s\) costs 4 easel credits = \$0.04"):
        check_budget(entries, Budget())
    [line] = recipe_cost(r, max_cost=0.04).lines()[:-1]
    assert line == "easel: 1 item(s), 4 easel credits = $0.04"
    generate_all(r, assets, lambda _m: None)
    still = project.folder / "gen" / "student.png"
    assert Image.open(still).getpixel((5, 5)) == (200, 30, 30)
    side = read_provenance(still)
    assert side["stand_in"] is False and side["provider"] == "easel"
    assert side["task_id"] == "easel-1"
    assert not aside_path(still).exists() and gather(r).jobs == []


def test_a_failed_paid_attempt_puts_the_stand_in_back(project, easel, monkeypatch) -> None:
    r = made_offline(project)
    still = project.folder / "gen" / "student.png"
    before = still.read_bytes()
    monkeypatch.setenv("EASEL_KEY", "k")
    Easel.fail = True
    with pytest.raises(GenerationError):
        generate_all(r, gather(r), lambda _m: None)
    assert still.read_bytes() == before and read_provenance(still)["stand_in"] is True
    assert not aside_path(still).exists()


def test_keep_stand_in_pins_it(project, easel, monkeypatch) -> None:
    r = made_offline(project, keep=True)
    monkeypatch.setenv("EASEL_KEY", "k")
    assets = gather(r)
    assert assets.jobs == [] and recipe_cost(r).providers == ()
    assert [e["key"] for e in will_be_stand_ins(assets.jobs, assets.used)] == ["scenes[0].src"]


class Brush(Provider):
    """A paid clip maker with no records of its own (provenance() is None)."""

    name = "brush"
    priority = 60
    in_every_fingerprint = True  # as the first paid provider: its clips share the stand-in's names

    @classmethod
    def available(cls, env):  # noqa: ANN001, ANN206
        return (True, "BRUSH_KEY is set") if env.get("BRUSH_KEY") else (False, "no BRUSH_KEY")

    def estimate(self, job: GenerationJob) -> dict:
        return {"provider": self.name, "credits": 1, "money": 0.1, "what": "a clip"}


def test_a_cached_clip_made_before_sidecars_by_no_paying_provider_is_a_stand_in(project) -> None:
    clip = '[[scenes]]\ntype = "clip"\nduration = 1.0\n  [scenes.generate]\n  prompt = "rain"\n'
    [r] = load_recipe(project(HEAD + clip))
    register(Brush)
    try:
        [job] = jobs_for(r.scenes[0], r.folder, (180, 320), {"BRUSH_KEY": "k"})
        [offline] = jobs_for(r.scenes[0], r.folder, (180, 320), {})
        assert (job.provider, offline.provider, job.dest) == ("brush", "local", offline.dest)
        job.dest.parent.mkdir(parents=True)
        job.dest.write_bytes(b"a clip made before sidecars existed")
        assert needs_real(job, r.folder), "cached, and the paying provider has no record of it"
        assert not needs_real(offline, r.folder), "offline, the stand-in stays"
        provenance_path(job.dest).write_text('{"stand_in": false, "provider": "brush"}')
        assert not needs_real(job, r.folder), "a sidecar saying it was paid for"
    finally:
        unregister("brush")


def test_the_library_render_refuses_a_stand_in_when_final(project, easel) -> None:
    from cmforge import render
    from cmforge.assets.standins import StandInError

    r = made_offline(project)
    with pytest.raises(StandInError, match=r"--final: the video would contain 1 stand-in\(s\)"):
        render(r, final=True)
    assert not (project.folder / "out").exists()


class PaidBrush(Brush):
    """Brush that paints: writes the clip it is asked for (no FFmpeg: bytes are enough)."""

    def generate(self, job: GenerationJob, on_status, take=1) -> GenerationResult:  # noqa: ANN001
        job.dest.write_bytes(b"a painted clip")
        return GenerationResult(job.dest, self.name, job.request(), "brush-1", 1.0, {}, 0.1)


def test_a_clip_and_its_still_both_stand_ins_are_both_made_for_real(
    project, easel, monkeypatch
) -> None:
    import media

    clip = (
        '[[scenes]]\ntype = "clip"\nduration = 1.0\nsrc = "gen/student.mp4"\n'
        '  [scenes.generate]\n  image = "gen/student.png"\n  prompt = "waves"\n'
    )
    [r] = load_recipe(project(HEAD + STILL + clip))
    gen = project.folder / "gen"
    gen.mkdir()
    media.still(gen / "student.png", (180, 320))
    media.video(gen / "student.mp4", size="96x160", dur=0.2, audio=None)
    for name in ("student.png", "student.mp4"):  # both made offline before the keys were set
        provenance_path(gen / name).write_text('{"stand_in": true, "provider": "local"}')
    register(PaidBrush)
    try:
        monkeypatch.setenv("EASEL_KEY", "k")
        monkeypatch.setenv("BRUSH_KEY", "k")
        assets = gather(r)
        assert sorted(j.provider for j in assets.jobs) == ["brush", "easel"]
        assert will_be_stand_ins(assets.jobs, assets.used) == [], "both made for real"
        said: list[str] = []
        made = generate_all(r, assets, said.append)
    finally:
        unregister("brush")
    assert sorted(m.provider for m in made.values()) == ["brush", "easel"]
    assert (gen / "student.mp4").read_bytes() == b"a painted clip"
    assert not read_provenance(gen / "student.mp4")["stand_in"]
    assert sum("made for real" in m for m in said) == 2
