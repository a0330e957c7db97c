"""`cmforge kling account [--recipe R]`: what the account's packs have left, each in its own
unit and in dollars, and what a recipe would pay Kling against that."""

from __future__ import annotations

import pytest
from test_chain_cli import CHAIN

from cmforge.cli import main
from cmforge.generate.kling import Simulator


@pytest.fixture
def kling(monkeypatch, media_dir):
    with Simulator(latency=0.3, seed=2, media_dir=media_dir, pack_units=3) as sim:
        for k, v in sim.env().items():
            monkeypatch.setenv(k, v)
        yield sim


def test_the_balance_of_each_pack_in_its_unit(kling, capsys):
    assert main(["kling", "account"]) == 0
    out = capsys.readouterr().out
    assert "Video Generation - simulator pack: 3 of 3 Kling API units left (about $0.42" in out
    assert "10000 of 10000 Kling image units left (about $35.00" in out
    assert "may lag real usage by up to 12 hours" in out


def test_what_a_recipe_would_cost_against_the_balance(kling, project, capsys):
    path = project(CHAIN.format())
    assert main(["kling", "account", "--recipe", str(path)]) == 0
    out = capsys.readouterr().out
    assert "kling: 2 Kling API units needed, 3 Kling API units left: enough" in out
    assert "kling: 2 Kling image units needed, 10000 Kling image units left: enough" in out
    assert "total $0.29" in out and kling.create_count == 0, "nothing is spent"


def test_without_keys_it_says_what_is_missing(monkeypatch, capsys):
    monkeypatch.delenv("KLING_ACCESS_KEY", raising=False)
    assert main(["kling", "account"]) != 0
    assert "KLING_ACCESS_KEY and KLING_SECRET_KEY are not set" in capsys.readouterr().err
