"""Graph -> FFmpeg filter text and argv. The one place that escapes anything."""

from __future__ import annotations

from .graph import Arg, Filter, Graph

_LEVEL1 = str.maketrans({"\\": "\\\\", "'": "\\'", ":": "\\:"})
_LEVEL2 = str.maketrans({"\\": "\\\\", "'": "\\'", "[": "\\[", "]": "\\]", ",": "\\,", ";": "\\;"})


def _value(v: Arg) -> str:
    if isinstance(v, float):
        text = f"{v:.6f}".rstrip("0").rstrip(".") or "0"
    else:
        text = str(v)
    return text.translate(_LEVEL1).translate(_LEVEL2)


def filter_text(f: Filter) -> str:
    parts = [_value(p) for p in f.positional] + [f"{k}={_value(v)}" for k, v in f.args]
    return f.name + ("=" + ":".join(parts) if parts else "")


def graph_text(g: Graph, pretty: bool = False) -> str:
    sep = ";\n" if pretty else ";"
    out = []
    for c in g.chains:
        ins = "".join(f"[{x}]" for x in c.inputs)
        outs = "".join(f"[{x}]" for x in c.outputs)
        out.append(ins + ",".join(filter_text(f) for f in c.filters) + outs)
    return sep.join(out)


def input_args(g: Graph) -> list[str]:
    args: list[str] = []
    for i in g.inputs:
        args += [*i.options, "-i", str(i.path)]
    return args
