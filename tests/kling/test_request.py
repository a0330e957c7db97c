"""Request bodies and images: every field of section 4, limits checked before spending."""

from __future__ import annotations

import base64
import io

import pytest
from kling_helpers import generate_record
from PIL import Image

from cmforge.generate.kling import KlingImageError, KlingRequestError
from cmforge.generate.kling.images import prepare_image
from cmforge.generate.kling.request import EXTERNAL_ID, build_request, external_task_id


def test_text2video_body_carries_every_parameter():
    cc = {"type": "simple", "config": {"zoom": 5}}
    gen = generate_record(cfg_scale=0.7, mode="pro", length=10, camera_control=cc)
    req = build_request(gen, "9:16", "cmf-1")
    assert req.family == "text2video"
    assert req.body == {
        "model_name": "kling-v1-6",
        "mode": "pro",
        "duration": "10",
        "prompt": "a red sneaker turning on a white table",
        "negative_prompt": "blur",
        "cfg_scale": 0.7,
        "camera_control": cc,
        "aspect_ratio": "9:16",
        "external_task_id": "cmf-1",
    }


def test_v2_models_get_no_cfg_scale_and_say_so():
    req = build_request(generate_record(model="kling-v2-master", cfg_scale=0.8), "16:9", "x")
    assert "cfg_scale" not in req.body and any("cfg_scale" in n for n in req.notes)


def test_image2video_sends_bare_base64_and_no_aspect(make_image):
    still, tail = make_image(720, 1280), make_image(720, 1280, "tail.jpg", "JPEG")
    req = build_request(generate_record(image=still, image_tail=tail), "9:16", "x")
    assert req.family == "image2video" and "aspect_ratio" not in req.body
    assert base64.b64decode(req.body["image"]) == still.read_bytes()
    assert base64.b64decode(req.body["image_tail"]) == tail.read_bytes()
    assert "base64" in req.redacted()["image"] and len(req.redacted()["image"]) < 100


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        ({"prompt": ""}, "needs a prompt"),
        ({"prompt": "x" * 2501}, "2501 characters"),
        ({"cfg_scale": 1.2}, "between 0 and 1"),
        ({"mode": "professional"}, "std or pro"),
        ({"length": 7}, "5 or 10"),
        ({"camera_control": {"type": "simple", "config": {"zoom": 5, "pan": 2}}}, "exactly one"),
        ({"camera_control": {"type": "down_back", "config": {"zoom": 1}}}, "takes no config"),
        ({"camera_control": {"type": "orbit"}}, "must be one of"),
    ],
)
def test_impossible_requests_are_refused_locally(fields, words):
    with pytest.raises(KlingRequestError) as err:
        build_request(generate_record(**fields), "9:16", "x")
    assert words in str(err.value) and "nothing was sent" in str(err.value)


def test_end_frame_and_camera_control_exclude_each_other(make_image):
    gen = generate_record(
        image=make_image(),
        image_tail=make_image(name="t.png"),
        camera_control={"type": "forward_up"},
    )
    with pytest.raises(KlingRequestError, match="cannot be combined"):
        build_request(gen, "9:16", "x")


def test_external_task_id_is_short_plain_and_deterministic():
    fp = "ab" * 32
    assert external_task_id(fp) == "cmf-" + "ab" * 16 + "-t1"
    assert external_task_id(fp, take=3, attempt=2).endswith("-t3-a2")
    for ext in (external_task_id(fp), external_task_id(fp, 12, 4)):
        assert EXTERNAL_ID.match(ext) and len(ext) <= 64


@pytest.mark.parametrize(("size", "words"), [((299, 600), "at least 300"), ((1600, 600), "2.5")])
def test_impossible_images_are_refused(make_image, size, words):
    with pytest.raises(KlingImageError, match=words):
        prepare_image(make_image(*size))


def test_a_wide_end_frame_is_allowed(make_image):
    assert prepare_image(make_image(1600, 600), role="image_tail").width == 1600


def test_too_heavy_image_is_reencoded_and_reported(tmp_path):
    path = tmp_path / "noise.png"
    Image.effect_noise((1200, 1600), 90).convert("RGB").save(path)
    prepared = prepare_image(path, max_bytes=400_000)
    assert prepared.size_bytes <= 400_000 and min(prepared.width, prepared.height) >= 300
    assert any("re-encoded as JPEG" in note for note in prepared.notes)
    with Image.open(io.BytesIO(base64.b64decode(prepared.base64))) as im:
        assert im.format == "JPEG" and im.size == (prepared.width, prepared.height)


def test_other_formats_and_turned_images_are_converted(tmp_path):
    webp = tmp_path / "still.webp"
    Image.new("RGB", (400, 400), "red").save(webp, "WEBP")
    assert "sent as JPEG" in prepare_image(webp).notes[0]
    turned = tmp_path / "turned.jpg"
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90
    Image.new("RGB", (800, 400), "blue").save(turned, "JPEG", exif=exif)
    prepared = prepare_image(turned)
    assert (prepared.width, prepared.height) == (400, 800) and "upright" in prepared.notes[0]


def test_unreadable_image_is_refused(tmp_path):
    bad = tmp_path / "bad.png"
    bad.write_bytes(b"not an image")
    with pytest.raises(KlingImageError, match="not a readable image"):
        prepare_image(bad)
