"""The FLUX models cmforge asks for: each one's size on its grid and within its limits, priced
from the one price table, and accepted by the simulator as FLUX would accept it."""

from __future__ import annotations

import pytest

from cmforge.generate.flux.client import FluxClient
from cmforge.generate.flux.models import MODELS, check, model_of, request_body, size_for
from cmforge.generate.flux.sim import Simulator
from cmforge.generate.prices import flux_cost

STILL = {"9:16": (1080, 1920), "16:9": (1920, 1080), "1:1": (1440, 1440)}


@pytest.mark.parametrize("name", list(MODELS))
@pytest.mark.parametrize("aspect", list(STILL))
def test_sizes_follow_each_models_rules(name, aspect):
    model = MODELS[name]
    w, h = size_for(model, aspect, STILL[aspect])
    a, b = (int(x) for x in aspect.split(":"))
    assert abs((w / h) / (a / b) - 1) <= 0.011
    assert w % model.step == 0 and h % model.step == 0
    if model.family == "flux1":
        assert 256 <= min(w, h) and max(w, h) <= 1440
    if model.family == "flux2":
        assert w * h <= 4_000_000 and w <= STILL[aspect][0] + 15 and h <= STILL[aspect][1] + 15


def test_the_vertical_sizes():
    assert size_for(MODELS["flux-pro-1.1"], "9:16", (1080, 1920)) == (768, 1376)
    assert size_for(MODELS["flux-2-pro"], "9:16", (1080, 1920)) == (1088, 1920)
    assert flux_cost("flux-2-pro", 1088, 1920).amount == pytest.approx(4.63, abs=0.01)


def test_the_simulator_accepts_every_model_as_cmforge_asks_for_it():
    with Simulator(latency=0.05, strict=True) as sim:
        client = FluxClient(sim.api_key, sim.base_url)
        for name, model in MODELS.items():
            size = size_for(model, "9:16", (1080, 1920))
            body = request_body(model, "a still", "9:16", size, {"seed": 1}, "png")
            created = client.create(name, body)
            assert created.cost == flux_cost(name, *size).amount, name
        assert len(sim.tasks) == len(MODELS)


def test_checks_name_the_key_and_what_is_allowed():
    assert check("flux-pro-1.1", {}, "9:16", "stills[0]") == []
    [unknown] = check("flux-9", {}, "9:16", "stills[1]")
    assert unknown.startswith("stills[1].model: FLUX has no model 'flux-9'")
    [safety] = check("flux-2-pro", {"safety_tolerance": 6}, "9:16", "stills[0]")
    assert safety.startswith("stills[0].safety_tolerance: safety_tolerance 6 is outside 0-5")
    [steps] = check("flux-dev", {"steps": 80}, "9:16", "stills[0]")
    assert "steps 80 is outside 1-50" in steps
    assert model_of(None).name == "flux-pro-1.1"
