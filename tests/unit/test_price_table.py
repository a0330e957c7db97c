"""The one price table (generate/prices.py): each provider's unit, its dollar price, and the
figures of kling-api.md section 9 and image-apis.md sections 5 and 6."""

from __future__ import annotations

import pytest

from cmforge.generate import prices as P


def test_every_unit_has_its_list_price_in_dollars() -> None:
    assert P.usd(1, P.KLING_UNITS) == 0.14
    assert P.usd(3.5, P.KLING_UNITS) == 0.49
    assert P.usd(1, P.KLING_IMAGE_UNITS) == 0.0035
    assert P.usd(4, P.FLUX_CREDITS) == 0.04
    assert P.usd(35, P.KLING_WEB_CREDITS) == 0.0  # an equivalent, never money
    with pytest.raises(KeyError, match="known"):
        P.usd(1, "doubloons")


def test_a_pro_clip_reads_in_api_units_dollars_and_web_credits() -> None:
    cost = P.kling_video_cost("kling-v1", "pro", 5)
    assert (cost.amount, cost.unit, cost.usd, cost.equivalent) == (3.5, P.KLING_UNITS, 0.49, 35)
    assert cost.text() == "3.5 Kling API units = $0.49 (Kling web-app equivalent: 35 credits)"
    std = P.kling_video_cost("kling-v1", "std", 5)
    assert (std.amount, std.usd, std.equivalent) == (1, 0.14, 10)
    assert P.kling_web_credits("std", 10) == 20 and P.kling_web_credits("pro", 10) == 70
    assert P.kling_units("kling-v2-master", "pro", 10) == 20


def test_an_unknown_model_is_priced_at_the_dearest_row() -> None:
    cost = P.kling_video_cost("kling-v9", "pro", 10)
    assert (cost.amount, cost.known, cost.source) == (20, False, "assumed")
    assert "not in the price table" in cost.text()
    assert P.kling_image_units("kling-v9") == 8
    assert not P.flux_cost("flux-9", 1024, 1024).known


def test_flux_credits_per_model_and_size() -> None:
    assert P.flux_credits("flux-pro-1.1", 576, 1024) == 4
    assert P.flux_credits("flux-pro-1.1-ultra") == 6
    assert P.flux_credits("flux-kontext-max") == 8
    assert P.flux_credits("flux-dev") == 2.5
    assert P.flux_credits("flux-2-pro", 1000, 1000) == 3  # the first megapixel (10^6 px)
    assert P.flux_credits("flux-2-pro", 1088, 1920) == pytest.approx(4.6, abs=0.05)  # reference
    assert P.flux_credits("flux-2-pro", 4000, 4000) == 3 + 3 * 1.5  # resized to 4 MP
    assert P.flux_credits("flux-2-klein-4b", 1000, 1000, input_mp=1) == 1.5
    cost = P.flux_cost("flux-pro-1.1", 576, 1024)
    assert cost.text() == "4 FLUX credits = $0.04"


def test_kling_images_per_image_and_reference() -> None:
    assert P.kling_image_units("kling-v1-5", n=4) == 16  # "16 units ~ $0.056"
    assert P.kling_image_cost("kling-v1-5", n=4).usd == pytest.approx(0.056)
    assert P.kling_image_units("kling-v1-5", with_image=True) == 8
    assert P.kling_image_cost("kling-v1").text() == "1 Kling image units = $0.0035"


def test_costs_add_up_per_take() -> None:
    two = P.kling_video_cost("kling-v1", "pro", 5).times(2)
    assert (two.amount, two.usd, two.equivalent) == (7, 0.98, 70)
    fields = two.fields()
    assert fields["credits"] == 7 and fields["unit"] == P.KLING_UNITS and fields["money"] == 0.98
    assert P.money(0.49) == "$0.49" and P.money(2.5) == "$2.50" and P.money(0.0035) == "$0.0035"
