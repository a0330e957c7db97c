"""What line breaking costs per text block: every sentence of the phrase-breaking test corpus
(33 school-ad sentences) drawn by render_text into a caption box and a title box, CPU time,
best of 3; the wrap() calls counted and timed apart. Run it on two trees to compare:

    PYTHONPATH=src .venv/bin/python bench/wrap_bench.py
    PYTHONPATH=/path/to/other/src .venv/bin/python bench/wrap_bench.py
"""

from __future__ import annotations

import ast
import statistics
import time
from pathlib import Path

import cmforge.text.render as R
from cmforge.text import TextStyle, render_text

# the corpus as the test writes it, read without importing the test (so that an older
# cmforge, without the modules the test imports, can be measured too)
_TEST = Path(__file__).resolve().parent.parent / "tests" / "unit" / "test_wrap_phrases.py"
CORPUS: list[str] = next(
    ast.literal_eval(node.value)
    for node in ast.parse(_TEST.read_text(encoding="utf-8")).body
    if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "CORPUS"
)

STYLE = TextStyle(
    weight="bold", color=(255, 255, 255, 255), stroke_color=(0, 0, 0, 255), stroke_width=6
)
BOXES = {"caption 907x300": (907, 300), "title 907x537": (907, 537)}


def main() -> None:
    render_text("ウォームアップ warm up", STYLE, (907, 300))  # fonts and the model loaded
    spent = {"calls": 0, "cpu": 0.0}
    wrap = R.wrap

    def timed(*args, **kw):  # noqa: ANN002, ANN003, ANN202
        t = time.process_time()
        try:
            return wrap(*args, **kw)
        finally:
            spent["cpu"] += time.process_time() - t
            spent["calls"] += 1

    R.wrap = timed
    for name, box in BOXES.items():
        best: tuple[list[float], dict] | None = None
        for _ in range(3):
            spent.update(calls=0, cpu=0.0)
            times = []
            for text in CORPUS:
                t = time.process_time()
                render_text(text, STYLE, box)
                times.append(time.process_time() - t)
            if best is None or sum(times) < sum(best[0]):
                best = (times, dict(spent))
        assert best is not None
        times, calls = best
        print(
            f"{name}: render_text median {statistics.median(times) * 1000:.1f} ms a text block "
            f"(max {max(times) * 1000:.1f}); wrap() {calls['calls'] / len(CORPUS):.0f} calls, "
            f"{calls['cpu'] * 1000 / len(CORPUS):.1f} ms a text block "
            f"({calls['cpu'] / sum(times) * 100:.0f} % of render_text)"
        )


if __name__ == "__main__":
    main()
