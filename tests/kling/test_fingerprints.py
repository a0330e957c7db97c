"""A generated clip's fingerprint names its cached file and its Kling external_task_id.

For the offline stand-in it is what earlier versions computed (the values below were computed
by cmforge before providers owned their options). For Kling it is exactly what is sent plus
the images' bytes, so an image-to-video clip (no aspect_ratio sent) is one clip for every
format; the fingerprint earlier versions gave the same request is kept in `job.earlier`, so
clips Kling already made under it are adopted and its tasks in flight picked up."""

from __future__ import annotations

import pytest

from cmforge import load_recipe
from cmforge.generate import jobs_for
from cmforge.generate.kling import Journal

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
VERTICAL, LANDSCAPE, SQUARE = (180, 320), (320, 180), (240, 240)


def _jobs(project, table: str, size=VERTICAL, env=None):
    (project.folder / "s.png").write_bytes(b"first frame")
    (project.folder / "t.png").write_bytes(b"last frame")
    [recipe] = load_recipe(project(RECIPE + table + "\n"))
    return jobs_for(recipe.scenes[0], project.folder, size, env or {})


@pytest.mark.parametrize("env", [{}, CREDENTIALS], ids=["offline", "with-keys"])
@pytest.mark.parametrize("name", sorted(TABLES))
def test_stand_in_names_are_kept_and_kling_knows_the_names_earlier_versions_gave(
    project, name, env
):
    jobs = _jobs(project, TABLES[name], env=env)
    kling = bool(env) and name != "local_takes"
    assert {j.provider for j in jobs} == {"kling" if kling else "local"}
    [fp] = {j.fingerprint for j in jobs}
    if kling:
        assert fp != BEFORE[name] and jobs[0].earlier[0] == BEFORE[name]
    else:
        assert fp == BEFORE[name] and jobs[0].earlier == ()
    names = [j.dest.relative_to(project.folder).as_posix() for j in jobs]
    stem = f".cmforge/cache/clips/{fp[:32]}"
    assert names == (
        [f"{stem}.mp4"] if len(jobs) == 1 else [f"{stem}.take1.mp4", f"{stem}.take2.mp4"]
    )


def test_image_to_video_is_one_clip_for_every_format(project):
    table = 'image = "s.png"\nprompt = "she waves"\nmode = "pro"'
    jobs = [_jobs(project, table, size, CREDENTIALS)[0] for size in (VERTICAL, LANDSCAPE, SQUARE)]
    assert len({j.fingerprint for j in jobs}) == 1
    assert len({j.dest for j in jobs}) == 1
    # each earlier version's per-format names are known, the format's own first
    assert len(set(jobs[0].earlier)) == 3 and jobs[0].earlier[0] != jobs[1].earlier[0]


def test_text_to_video_is_one_clip_per_shape_unless_the_recipe_fixes_the_shape(project):
    table = 'prompt = "a red sneaker turning"'
    vertical, landscape = (_jobs(project, table, s, CREDENTIALS)[0] for s in (VERTICAL, LANDSCAPE))
    assert vertical.fingerprint != landscape.fingerprint
    table += '\naspect_ratio = "9:16"'
    vertical, landscape = (_jobs(project, table, s, CREDENTIALS)[0] for s in (VERTICAL, LANDSCAPE))
    assert vertical.fingerprint == landscape.fingerprint


def test_the_fingerprint_follows_what_is_sent(project):
    base = 'image = "s.png"\nprompt = "she waves"\nmodel = "kling-v1-6"'
    fp = _jobs(project, base, env=CREDENTIALS)[0].fingerprint
    # not sent to Kling: the stand-in's motion, and aspect_ratio for image-to-video
    assert _jobs(project, base + '\nmotion = "pan-left"', env=CREDENTIALS)[0].fingerprint == fp
    same = _jobs(project, base + '\naspect_ratio = "1:1"', env=CREDENTIALS)[0].fingerprint
    assert same == fp
    # sent: cfg_scale, mode; and the image's bytes
    assert _jobs(project, base + "\ncfg_scale = 0.8", env=CREDENTIALS)[0].fingerprint != fp
    assert _jobs(project, base + '\nmode = "pro"', env=CREDENTIALS)[0].fingerprint != fp
    (project.folder / "s.png").write_bytes(b"another first frame")
    [recipe] = load_recipe(project(RECIPE + base + "\n"))
    assert jobs_for(recipe.scenes[0], project.folder, VERTICAL, CREDENTIALS)[0].fingerprint != fp


def test_a_clip_kling_made_under_an_earlier_name_is_adopted_a_stand_in_is_not(project):
    table = 'image = "s.png"\nprompt = "she waves"'
    job = _jobs(project, table, LANDSCAPE, CREDENTIALS)[0]
    cache = job.dest.parent
    cache.mkdir(parents=True)
    # the vertical format's clip under the name an earlier version gave it
    made = cache / f"{job.earlier[1][:32]}.mp4"
    made.write_bytes(b"clip")
    assert _jobs(project, table, LANDSCAPE, CREDENTIALS)[0].dest == job.dest, "no record of it"
    journal = Journal.for_recipe(project.folder)
    journal.intent("cmf-x", key="k", scene="scenes[0]", family="image2video", attempt=1, request={})
    journal.downloaded("cmf-x", made)
    for size in (VERTICAL, LANDSCAPE, SQUARE):
        assert _jobs(project, table, size, CREDENTIALS)[0].dest == made
