"""Stills from prompts: [[stills]] and an image scene's [scenes.generate] as recipe keys
(checked with file, key and line), a still provider's own keys, and the chain prompt -> still
-> clip: a still not made yet counts as "to be generated", a clip waits for its still and
starts as soon as it exists."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import media
import pytest
from PIL import Image

from cmforge import RecipeError, load_recipe, plan
from cmforge.assets import gather
from cmforge.assets.generation import generate_all
from cmforge.errors import GenerationError
from cmforge.generate import GenerationJob, GenerationResult, Provider, register, unregister
from cmforge.generate.jobs import still_jobs
from cmforge.recipe.schema import recipe_schema
from cmforge.recipe.spec import F

HEAD = '[output]\nsize = [180, 320]\nfps = 15\n[vars]\nwho = "student"\n'
STILL = '[[stills]]\npath = "gen/student.png"\nprompt = "A {{who}} in a classroom"\n'
TITLE = '[[scenes]]\ntype = "title"\ntext = "A"\nduration = 1.0\n'


def problems_of(path: Path) -> dict[str, tuple[str, int | None, str]]:
    with pytest.raises(RecipeError) as err:
        load_recipe(path)
    return {p.key: (p.message, p.line, p.hint) for p in err.value.problems}


# ----- the recipe keys ---------------------------------------------------------------------


def test_stills_are_records_with_their_request(project) -> None:
    text = HEAD + STILL + 'model = "flux-pro-1.1"\nseed = 42\ntakes = 2\npick = 2\n'
    text += '[[scenes]]\ntype = "image"\nsrc = "gen/room.png"\nduration = 1.0\n'
    text += '  [scenes.generate]\n  prompt = "An empty room"\n  aspect = "1:1"\n'
    [r] = load_recipe(project(text))
    first, scene_still = r.stills
    assert first.key == "stills[0]" and first.path == project.folder / "gen" / "student.png"
    gen = first.generate
    assert gen.prompt == "A student in a classroom"  # variables are filled in prompts
    assert (gen.takes, gen.pick, gen.aspect_ratio, gen.length, gen.image) == (2, 2, None, 0, None)
    assert gen.options == {"model": "flux-pro-1.1", "seed": 42}
    assert scene_still.key == "scenes[0].generate"
    assert scene_still.path == r.scenes[0].src and scene_still.generate.aspect_ratio == "1:1"
    assert r.scenes[0].generate is None  # an image scene's still is not a clip to generate


def test_still_keys_are_checked_with_key_and_line(project) -> None:
    text = HEAD + STILL
    text += '[[stills]]\npath = "gen/a.png"\npromt = "x"\n'  # stills[1]
    text += '[[stills]]\npath = "gen/b.png"\nprompt = "b"\naspect = "4:3"\n' + TITLE
    found = problems_of(project(text))
    assert (
        found["stills[1].promt"][1] == 11 and "did you mean 'prompt'" in found["stills[1].promt"][2]
    )
    assert found["stills[1].prompt"][0] == "is required"
    assert found["stills[2].aspect"][:2] == ("'4:3' is not one of: 9:16, 16:9, 1:1", 15)


def test_still_values_are_checked_with_key_and_line(project) -> None:
    text = HEAD + STILL  # stills[0]: fine
    text += '[[stills]]\npath = "../outside.png"\nprompt = " "\ntakes = 1\npick = 2\n'  # 1
    text += '[[stills]]\npath = "gen/a.gif"\nprompt = "x"\n'  # stills[2]
    text += '[[stills]]\npath = "gen/student.png"\nprompt = "again"\n'  # stills[3]
    text += TITLE
    found = problems_of(project(text))
    assert found["stills[1].path"][0].startswith("a still is kept inside")
    assert found["stills[1].path"][1] == 10
    assert found["stills[1].prompt"][:2] == ("is empty", 11)
    assert found["stills[1].pick"][:2] == ("pick = 2 but only 1 take(s)", 13)
    assert "a still is a .png" in found["stills[2].path"][0]
    assert found["stills[3].path"][:2] == ("stills[0] is made at the same file", 18)


def test_an_image_scene_generate_takes_still_keys_only(project) -> None:
    text = HEAD + '[[scenes]]\ntype = "image"\nsrc = "gen/room.png"\n'
    text += '  [scenes.generate]\n  prompt = "A room"\n  length = 5\n  path = "x.png"\n'
    found = problems_of(project(text))
    assert set(found) == {"scenes[0].generate.length", "scenes[0].generate.path"}
    assert found["scenes[0].generate.length"][1] == 11


def test_variants_that_share_a_still_path_must_ask_the_same(project) -> None:
    text = HEAD + STILL + TITLE
    text += '[[variants]]\nname = "a"\nvars = { who = "teacher" }\n'
    text += '[[variants]]\nname = "b"\nvars = { who = "pupil" }\n'
    found = problems_of(project(text))
    message, line, hint = found["stills[0].path"]
    assert "variants 'a' and 'b' make student.png from different requests" in message
    assert line == 7 and "{{variant}}" in hint
    fixed = text.replace('"gen/student.png"', '"gen/{{variant}}.png"')
    a, b = load_recipe(project(fixed))
    assert (
        a.stills[0].path.name == "a.png" and b.stills[0].generate.prompt == "A pupil in a classroom"
    )


def test_set_and_matrix_reach_prompts(project) -> None:
    [r] = load_recipe(project(HEAD + STILL + TITLE), sets=["who=cat"])
    assert r.stills[0].generate.prompt == "A cat in a classroom"
    text = HEAD + STILL.replace("student.png", "{{who}}.png") + TITLE
    text += '[matrix]\nwho = ["dog", "owl"]\n'
    dog, owl = load_recipe(project(text))
    assert dog.stills[0].path.name == "dog.png" and owl.stills[0].path.name == "owl.png"
    assert owl.stills[0].generate.prompt == "A owl in a classroom"


class Brush(Provider):
    """A still maker that exists only in these tests (a flat colour, or waits it is told)."""

    name = "brush"
    makes = "still"
    suffix = ".png"
    priority = 50
    options = {"bristle": F("str", "brush hardness", choices=("soft", "hard"))}
    gates: dict[str, threading.Event] = {}
    broken: set[str] = set()

    def at_once(self) -> int:
        return 4

    def estimate(self, job: GenerationJob) -> dict:
        return {"provider": self.name, "credits": 1, "money": 0.01, "what": "a flat colour"}

    def generate(self, job: GenerationJob, on_status, take: int = 1) -> GenerationResult:  # noqa: ANN001
        gate = self.gates.get(job.scene_key)
        if gate is not None:
            assert gate.wait(20), f"{job.scene_key} was never let through"
        if job.scene_key in self.broken:
            raise GenerationError(f"{job.scene_key}: the brush broke")
        job.dest.parent.mkdir(parents=True, exist_ok=True)
        Image.new("RGB", job.size, (200, 80, 40)).save(job.dest)
        return GenerationResult(job.dest, self.name, job.request(), task_id="b1")


class Roller(Provider):
    """A clip maker for these tests: it records what it saw when it started."""

    name = "roller"
    priority = 50
    started: list[tuple[str, bool]] = []
    clip: Path = Path()
    on_start: dict[str, threading.Event] = {}

    def at_once(self) -> int:
        return 4

    def estimate(self, job: GenerationJob) -> dict:
        return {"provider": self.name, "credits": 2, "money": 0.02, "what": "a roll"}

    def generate(self, job: GenerationJob, on_status, take: int = 1) -> GenerationResult:  # noqa: ANN001
        image = job.generate.image
        self.started.append((job.scene_key, bool(image and image.is_file())))
        if job.scene_key in self.on_start:
            self.on_start[job.scene_key].set()
        job.dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(self.clip, job.dest)
        return GenerationResult(job.dest, self.name, job.request(), task_id="r1")


@pytest.fixture
def makers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    Roller.clip = media.video(tmp_path_factory.mktemp("roller") / "c.mp4", dur=1.0, audio=None)
    register(Brush)
    register(Roller)
    Brush.gates, Brush.broken, Roller.started, Roller.on_start = {}, set(), [], {}
    yield
    unregister("brush", "still")
    unregister("roller", "clip")


def test_a_still_provider_keys_are_recipe_keys(project, makers) -> None:
    [r] = load_recipe(project(HEAD + STILL + 'bristle = "soft"\n' + TITLE))
    assert r.stills[0].generate.options == {"bristle": "soft"}
    found = problems_of(project(HEAD + STILL + 'bristle = "wet"\nprovider = "brus"\n' + TITLE))
    assert "'wet' is not one of: soft, hard" in found["stills[0].bristle"][0]
    assert "did you mean 'brush'" in found["stills[0].provider"][2]
    props = recipe_schema()["properties"]["stills"]["items"]
    assert props["properties"]["bristle"]["enum"] == ["soft", "hard"]
    assert set(props["required"]) == {"path", "prompt"}
    kinds = recipe_schema()["properties"]["scenes"]["items"]["oneOf"]
    [image] = [k for k in kinds if k["properties"]["type"] == {"const": "image"}]
    shorthand = image["properties"]["generate"]
    assert "bristle" in shorthand["properties"] and "path" not in shorthand["properties"]
    [job] = still_jobs(r.stills[0], (180, 320))
    assert (job.makes, job.provider, job.size, job.generate.aspect_ratio) == (
        "still",
        "brush",
        (1080, 1920),
        "9:16",
    )
    assert job.request()["bristle"] == "soft" and job.request()["provider"] == "brush"


def test_unregistered_the_still_keys_are_unknown() -> None:
    from cmforge.recipe.spec import SCENE_STILL, STILLS

    assert "bristle" not in STILLS.fields and "bristle" not in SCENE_STILL.fields
    assert {"model", "seed"} <= set(STILLS.fields)  # the stand-in takes them


CHAIN = (
    HEAD
    + '[[stills]]\npath = "gen/a.png"\nprompt = "a"\n'
    + '[[stills]]\npath = "gen/b.png"\nprompt = "b"\n'
    + '[[scenes]]\ntype = "title"\ntext = "T"\nbackground = "gen/b.png"\nduration = 1.0\n'
    + '[[scenes]]\ntype = "clip"\nduration = 1.0\n'
    + '  [scenes.generate]\n  image = "gen/a.png"\n  prompt = "moves"\n'
    + '[[scenes]]\ntype = "image"\nsrc = "gen/a.png"\nduration = 1.0\n'
    + '[[scenes]]\ntype = "endslate"\nlogo = "gen/b.png"\nduration = 1.0\n'
)


def test_a_still_not_made_yet_is_to_be_generated_not_missing(project, makers) -> None:
    path = project(CHAIN)
    [r] = load_recipe(path)
    assets = gather(r)  # no "file not found" for the title, the clip, the image, the logo
    assert [(j.scene_key, j.makes) for j in assets.jobs] == [
        ("stills[0]", "still"),
        ("stills[1]", "still"),
        ("scenes[1]", "clip"),
    ]
    p = plan(r)
    clip = p.generation[2]
    assert clip["after"] == ["stills[0]"] and clip["credits"] == 2
    assert [g["credits"] for g in p.generation] == [1, 1, 2]
    image = p.timeline.scenes[2]
    assert (image.source.width, image.source.height) == (1080, 1920)  # the stand-in probe
    assert not (project.folder / "gen").exists(), "plan makes nothing"
    planned = clip["fingerprint"]
    generate_all(r, p.assets, lambda _m: None)
    assert Roller.started == [("scenes[1]", True)], "the clip started once its still existed"
    after = gather(load_recipe(path)[0])
    assert after.jobs == [], "made once: the next run finds every file"
    [job] = [j for j in gather_with_clip_missing(path) if j.makes == "clip"]
    assert job.fingerprint != planned, "once the still exists, its bytes key the clip"


def gather_with_clip_missing(path: Path) -> list[GenerationJob]:
    for clip in (path.parent / ".cmforge" / "cache" / "clips").glob("*"):
        clip.unlink()
    return gather(load_recipe(path)[0]).jobs


def test_each_clip_starts_as_soon_as_its_own_still_exists(project, makers) -> None:
    text = HEAD
    for name in ("a", "b"):
        text += f'[[stills]]\npath = "gen/{name}.png"\nprompt = "{name}"\n'
        text += '[[scenes]]\ntype = "clip"\nduration = 1.0\n  [scenes.generate]\n'
        text += f'  image = "gen/{name}.png"\n  prompt = "{name} moves"\n'
    [r] = load_recipe(project(text))
    # still b is held until clip a has started: were clips started only after every still,
    # this would wait forever (the gate fails after 20 s)
    clip_a = threading.Event()
    Brush.gates["stills[1]"] = clip_a
    Roller.on_start["scenes[0]"] = clip_a
    generate_all(r, gather(r), lambda _m: None)
    assert Roller.started == [("scenes[0]", True), ("scenes[1]", True)]


def test_a_clip_whose_still_failed_is_not_started(project, makers) -> None:
    [r] = load_recipe(project(CHAIN))
    Brush.broken.add("stills[0]")
    with pytest.raises(GenerationError, match="the brush broke"):
        generate_all(r, gather(r), lambda _m: None)
    assert Roller.started == []
    assert (project.folder / "gen" / "b.png").is_file(), "the other still is kept"


class Easel(Provider):
    """A paid still maker in these tests: it never has its key."""

    name = "easel"
    makes = "still"
    suffix = ".png"
    priority = 60

    @classmethod
    def available(cls, env):  # noqa: ANN001, ANN206
        return bool(env.get("EASEL_KEY")), "no EASEL_KEY set"


def test_without_keys_a_still_is_made_by_the_stand_in_and_says_so(project) -> None:
    register(Easel)
    try:
        [r] = load_recipe(project(HEAD + STILL + 'provider = "easel"\n' + TITLE))
        [job] = still_jobs(r.stills[0], (180, 320), env={})
        assert job.provider == "local"
        assert job.why.startswith('provider = "easel" but no EASEL_KEY set: offline stand-in')
        [r] = load_recipe(project(HEAD + STILL + TITLE))
        [job] = still_jobs(r.stills[0], (180, 320), env={})
        assert job.provider == "local" and job.why.startswith("no EASEL_KEY set: ")
        [job] = still_jobs(r.stills[0], (180, 320), env={"EASEL_KEY": "k"})
        assert job.provider == "easel"
    finally:
        unregister("easel", "still")


def test_generate_one_scene_makes_the_still_its_clip_waits_for(project) -> None:
    from cmforge.contact import Only, _to_generate, sheet_name

    [r] = load_recipe(project(CHAIN))
    assets = _to_generate(r, Only(scene=1))
    assert [j.scene_key for j in assets.jobs] == ["stills[0]", "scenes[1]"]
    assert [j.scene_key for j in _to_generate(r, Only(still=1)).jobs] == ["stills[1]"]
    assert [j.scene_key for j in _to_generate(r, Only(scene=0)).jobs] == []
    assert (sheet_name("stills[12]"), sheet_name("scenes[3].generate")) == ("still12", "scene3")
