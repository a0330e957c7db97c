"""`cmforge flux simulate` as its own process with the fault options, and `cmforge flux
account` against it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from flux_helpers import Said, provider, still_job

from cmforge.cli import main
from cmforge.generate.flux.errors import (
    FluxAuthError,
    FluxCreditsError,
    FluxModerated,
    FluxTaskFailed,
)

SRC = Path(__file__).resolve().parents[2] / "src"


class Remote:
    """What the helpers need of a simulator in another process."""

    def __init__(self, base_url: str, api_key: str):
        self.base_url, self.api_key = base_url, api_key

    def env(self) -> dict[str, str]:
        return {"BFL_API_KEY": self.api_key, "BFL_API_BASE": self.base_url}


@pytest.fixture
def serve():
    children = []

    def start(*options: str) -> Remote:
        argv = [sys.executable, "-m", "cmforge.cli", "flux", "simulate", "--port", "0", *options]
        env = {**os.environ, "PYTHONPATH": str(SRC)}
        child = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, text=True)
        children.append(child)
        first = child.stdout.readline()  # "FLUX simulator at http://127.0.0.1:PORT (...)"
        return Remote(first.split()[3], options[options.index("--api-key") + 1])

    yield start
    for child in children:
        child.terminate()
        child.wait(10)


def test_simulate_takes_its_key_and_its_faults(serve, tmp_path):
    sim = serve("--api-key", "K1", "--latency", "0.1", "--seed", "5", "--moderate-rate", "1")
    with pytest.raises(FluxModerated) as e:
        provider(sim, tmp_path).generate(still_job(sim, tmp_path), Said())
    assert "the image it made" in str(e.value)
    flux = provider(sim, tmp_path)
    flux.client.key = "K2"
    with pytest.raises(FluxAuthError):
        flux.generate(still_job(sim, tmp_path, "another"), Said())
    tasks = httpx.get(f"{sim.base_url}/_sim/tasks").json()
    assert [t["status"] for t in tasks] == ["Content Moderated"]


def test_simulate_fail_rate(serve, tmp_path):
    sim = serve("--api-key", "K", "--latency", "0.1", "--seed", "5", "--fail-rate", "1")
    with pytest.raises(FluxTaskFailed) as e:
        provider(sim, tmp_path).generate(still_job(sim, tmp_path), Said())
    assert "Error" in str(e.value) and "running again makes a new try" in str(e.value)


def test_simulate_out_of_credits(serve, tmp_path):
    sim = serve("--api-key", "K", "--latency", "0.1", "--credits", "3")
    with pytest.raises(FluxCreditsError):
        provider(sim, tmp_path).generate(still_job(sim, tmp_path), Said())


def test_account_shows_the_balance_and_what_the_recipe_costs(serve, project, monkeypatch, capsys):
    sim = serve("--api-key", "K", "--credits", "50")
    for k, v in sim.env().items():
        monkeypatch.setenv(k, v)
    path = project(
        '[output]\nsize = [180, 320]\n[[stills]]\npath = "a.png"\nprompt = "a cat"\n'
        '[[stills]]\npath = "b.png"\nprompt = "a dog"\nmodel = "flux-2-pro"\n'
        '[[scenes]]\ntype = "image"\nsrc = "a.png"\nduration = 1\n'
        '[[scenes]]\ntype = "image"\nsrc = "b.png"\nduration = 1\n'
    )
    assert main(["flux", "account", str(path)]) == 0
    out = capsys.readouterr().out
    assert "FLUX balance: 50 FLUX credits = $0.50" in out
    assert "2 FLUX still(s) to make: 8.63 FLUX credits = $0.09" in out
    assert "after it: 41.37 FLUX credits left" in out
    monkeypatch.delenv("BFL_API_KEY")
    assert main(["flux", "account"]) == 0
    assert "unknown (no BFL_API_KEY set)" in capsys.readouterr().out
