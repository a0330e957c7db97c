"""Tables stay aligned with Japanese in them: wide characters take two columns, a line
break inside a cell does not break the row, a cut cell ends with an ellipsis."""

from __future__ import annotations

import recipes

from cmforge.cli import main
from cmforge.cli.table import align, cell, one_line, width


def test_width_counts_wide_characters_twice_and_marks_none() -> None:
    assert width("abc") == 3
    assert width("春期講習") == 8
    assert width("ＡＢ") == 4  # full-width forms
    assert width("ｶﾞ") == 2  # half-width katakana and its sound mark
    assert width("か\u3099") == 2  # a combining dakuten adds no column
    assert width("No.1!") == 5


def test_cell_pads_and_cuts_by_columns() -> None:
    assert cell("合格", 6) == "合格  "
    assert cell("合格", 6, ">") == "  合格"
    assert cell("合格実績 No.1!", 8) == "合格実… "  # cut, then padded to 8 columns
    assert width(cell("合格実績ナンバーワン", 9)) == 9  # never half a wide character
    assert cell("二行\n目", 8) == "二行⏎目 "
    assert one_line("a\tb\x07c\r\n") == "a bc⏎"


def test_align_lines_up_columns() -> None:
    lines = align([["id", "title"], ["a", "さくら"], ["bbbb", "x"]])
    starts = [width(line[: line.index(t)]) for line, t in zip(lines, ["title", "さくら", "x"])]
    assert starts == [6, 6, 6]


def test_plan_table_stays_aligned_with_japanese(project, capsys, monkeypatch) -> None:
    """A Japanese title with a line break, a long Japanese end slate text and a Latin title:
    every scene row has its columns at the same terminal columns as the header."""
    text = (
        recipes.output(fps=10)
        + recipes.scene("title", text="春期講習\n受付中", duration=1.0)
        + recipes.scene("title", text="Spring term", duration=1.0)
        + recipes.scene(
            "title", text="一人ひとりに合わせた個別指導で合格まで伴走します", duration=1.0
        )
        + recipes.entry("captions", text="勉強が、\n楽しくなる。", start=0.5, end=2.5)
    )
    path = project(text)
    monkeypatch.chdir(path.parent)
    assert main(["plan", path.name]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].endswith("-> out/recipe.mp4")  # shown relative to the working directory
    header, rows = out[1], out[2:5]
    assert [r.split()[0] for r in rows] == ["0", "1", "2"]
    assert "春期講習⏎受付中" in rows[0] and rows[2].count("…") == 1
    at = width(header[: header.index("transition")])
    assert [width(row[: row.rindex("cut")]) for row in rows] == [at] * 3, [header, *rows]
    # one line, not two (its warnings follow on the same line)
    assert any(line.startswith("  caption 0.50-2.50 s: 勉強が、⏎楽しくなる。") for line in out)
