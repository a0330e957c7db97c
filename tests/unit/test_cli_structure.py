"""The command line's structure: shared options say one thing, only cli/ prints or exits."""

from __future__ import annotations

import argparse
import ast
from pathlib import Path

import cmforge
from cmforge.cli import _parser

SRC = Path(cmforge.__file__).parent
SHARED = ("--variant", "--set", "--allow-unlicensed", "--output", "--preview", "--max-credits")


def _commands(
    parser: argparse.ArgumentParser, path: str = ""
) -> dict[str, argparse.ArgumentParser]:
    """Every command and subcommand parser, by its words (`library add`)."""
    found = {path: parser} if path else {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found |= _commands(sub, f"{path} {name}".strip())
    return found


def test_a_shared_option_has_one_help_text() -> None:
    helps: dict[str, set[str]] = {}
    for parser in _commands(_parser()).values():
        for action in parser._actions:
            for flag in action.option_strings:
                if flag in SHARED and action.help != argparse.SUPPRESS:
                    helps.setdefault(flag, set()).add(action.help)
    assert set(helps) == set(SHARED)
    assert {flag: len(texts) for flag, texts in helps.items()} == dict.fromkeys(SHARED, 1)


def test_every_command_has_a_handler() -> None:
    commands = {w: p for w, p in _commands(_parser()).items() if " " not in w}
    assert list(commands) == [
        "render",
        "validate",
        "plan",
        "generate",
        "init",
        "templates",
        "schema",
        "kling",
        "flux",
        "check",
        "library",
        "variants",
        "cache",
        "export",
    ]
    for words, parser in commands.items():
        assert callable(parser.get_default("run")), words


def _prints_or_exits(tree: ast.AST) -> list[str]:
    """print(...), exit/quit(...), sys.exit(...), sys.stdout and sys.stderr in a module."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            if node.func.id in ("print", "exit", "quit"):
                found.append(f"{node.func.id}() at line {node.lineno}")
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id == "sys"
            and node.attr in ("exit", "stdout", "stderr")
        ):
            found.append(f"sys.{node.attr} at line {node.lineno}")
    return found


def test_only_cli_prints_or_exits() -> None:
    offenders = {}
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC)
        if rel.parts[0] == "cli":
            continue
        found = _prints_or_exits(ast.parse(path.read_text(encoding="utf-8")))
        if found:
            offenders[str(rel)] = found
    assert offenders == {}
