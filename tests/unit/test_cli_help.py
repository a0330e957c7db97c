"""The command line explains itself: every positional and option has help, init lists its
templates, and --preview says what the README says."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from cmforge.cli import _parser
from cmforge.cli.kling import _simulate_parser
from cmforge.cli.options import PREVIEW_HELP
from cmforge.templates import list_templates, template_dir

README = Path(__file__).resolve().parents[2] / "README.md"


def _parsers(
    parser: argparse.ArgumentParser, path: str = "cmforge"
) -> dict[str, argparse.ArgumentParser]:
    found = {path: parser}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found |= _parsers(sub, f"{path} {name}")
    return found


def test_every_positional_and_option_has_help() -> None:
    parsers = _parsers(_parser()) | {"cmforge kling simulate (own)": _simulate_parser()}
    missing = [
        f"{words}: {'/'.join(a.option_strings) or a.dest}"
        for words, p in parsers.items()
        for a in p._actions
        if not isinstance(a, argparse._SubParsersAction) and not (a.help or "").strip()
    ]
    assert missing == []
    assert len(parsers) > 15  # every command and subcommand was walked


def test_init_template_lists_the_templates_folder(capsys) -> None:
    shipped = sorted(p.stem for p in template_dir().glob("*.toml"))
    assert "school-ad" in shipped and "prompt-to-clip" in shipped
    init = _parsers(_parser())["cmforge init"]
    [template] = [a for a in init._actions if "--template" in a.option_strings]
    assert sorted(template.choices) == shipped == sorted(n for n, _ in list_templates())
    assert "{" + ",".join(shipped) + "}" in init.format_help()
    with pytest.raises(SystemExit) as exit_:
        _parser().parse_args(["init", "x", "--template", "school"])
    assert exit_.value.code == 2
    assert "invalid choice: 'school'" in capsys.readouterr().err


def test_preview_help_says_what_the_readme_says() -> None:
    for words in ("cmforge render", "cmforge plan"):
        p = _parsers(_parser())[words]
        [preview] = [a for a in p._actions if "--preview" in a.option_strings]
        assert preview.help == PREVIEW_HELP
    assert "half width and height" in PREVIEW_HELP and "half the frame rate" in PREVIEW_HELP
    readme = " ".join(README.read_text(encoding="utf-8").split())
    said = re.search(r"`--preview` \((.*?)\)", readme)
    assert said is not None and said.group(1) == PREVIEW_HELP
