"""The filter graph as data. Only emit.py turns it into FFmpeg's text."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

Arg = str | int | float


@dataclass(frozen=True)
class Filter:
    name: str
    args: tuple[tuple[str, Arg], ...] = ()  # ordered key=value options
    positional: tuple[Arg, ...] = ()

    @staticmethod
    def of(name: str, *positional: Arg, **kw: Arg) -> Filter:
        return Filter(name, tuple(kw.items()), positional)


@dataclass
class Chain:
    inputs: list[str]
    filters: list[Filter]
    outputs: list[str]


@dataclass
class Input:
    path: Path | str
    options: list[str] = field(default_factory=list)


@dataclass
class Graph:
    inputs: list[Input] = field(default_factory=list)
    chains: list[Chain] = field(default_factory=list)
    prefix: str = ""  # keeps labels apart when two graphs run in one process
    _n: int = 0

    def add_input(self, path: Path | str, options: list[str] | None = None) -> int:
        self.inputs.append(Input(path, options or []))
        return len(self.inputs) - 1

    def label(self, stem: str) -> str:
        self._n += 1
        return f"{self.prefix}{stem}{self._n}"

    def chain(
        self, inputs: list[str], filters: list[Filter], stem: str = "s", outputs: int = 1
    ) -> list[str]:
        outs = [self.label(stem) for _ in range(outputs)]
        self.chains.append(Chain(inputs, filters, outs))
        return outs

    def one(self, inputs: list[str] | str, filters: list[Filter], stem: str = "s") -> str:
        return self.chain([inputs] if isinstance(inputs, str) else inputs, filters, stem)[0]
