"""A generated clip's fingerprint names its cached file and its Kling external_task_id, so it
must not change between versions: a changed fingerprint would pay for the same clip again.
The values below were computed by cmforge before providers owned their options."""

from __future__ import annotations

import pytest

from cmforge import load_recipe
from cmforge.generate import jobs_for

RECIPE = """[output]
size = [180, 320]
[[scenes]]
type = "clip"
duration = 2.0
  [scenes.generate]
"""
TABLES = {
    "text": 'prompt = "a red sneaker turning"',
    "kling_keys": 'prompt = "p"\nnegative_prompt = "blur"\nmode = "pro"\nmodel = "kling-v2-master"'
    '\ncfg_scale = 1\naspect_ratio = "16:9"'
    '\ncamera_control = { type = "simple", config = { zoom = 5 } }',
    "local_takes": 'provider = "local"\nimage = "s.png"\nmotion = "pan-left"\ntakes = 2',
    "both_frames": 'provider = "kling"\nimage = "s.png"\nimage_tail = "t.png"\nprompt = "日本語"'
    "\nlength = 10",
}
BEFORE = {
    "text": "06827f96e3c7c283a0fd6fad733cc34ba959222f208fdf320375cc5e961acd75",
    "kling_keys": "f3235472384b5583844df474690efde869aa15a677c4d9f114f5bbc121891a27",
    "local_takes": "936007a0d7f874d802bba62ddb407c6c3ac6135be12aeb069476f3503fd7e6c8",
    "both_frames": "532ca428e940540acb3fc40318af072b29048ca33ae6030de2f888570bb9b9d7",
}
CREDENTIALS = {"KLING_ACCESS_KEY": "ak", "KLING_SECRET_KEY": "sk"}


@pytest.mark.parametrize("env", [{}, CREDENTIALS], ids=["offline", "with-keys"])
@pytest.mark.parametrize("name", sorted(TABLES))
def test_fingerprints_and_cache_names_are_those_of_earlier_versions(project, name, env):
    (project.folder / "s.png").write_bytes(b"first frame")
    (project.folder / "t.png").write_bytes(b"last frame")
    [recipe] = load_recipe(project(RECIPE + TABLES[name] + "\n"))
    jobs = jobs_for(recipe.scenes[0], project.folder, (180, 320), env)
    assert {j.fingerprint for j in jobs} == {BEFORE[name]}
    names = [j.dest.relative_to(project.folder).as_posix() for j in jobs]
    stem = f".cmforge/cache/clips/{BEFORE[name][:32]}"
    assert names == (
        [f"{stem}.mp4"] if len(jobs) == 1 else [f"{stem}.take1.mp4", f"{stem}.take2.mp4"]
    )
    assert {j.provider for j in jobs} == {"kling" if env and name != "local_takes" else "local"}
