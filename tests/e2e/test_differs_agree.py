"""What a variant changes reads the same in `cmforge variants`, batch.csv and the
storyboard's labels: one wording (recipe.variants.differs_lines), not three."""

from __future__ import annotations

import csv

import recipes

from cmforge.batch import report
from cmforge.cli import main
from cmforge.recipe.variants import AS_WRITTEN


def test_batch_csv_storyboard_and_variants_agree(project, capsys, monkeypatch) -> None:
    text = (
        recipes.output(size=(64, 112), fps=10)
        + recipes.table("vars", headline="Hi", tag="x")
        + recipes.scene("title", text="{{headline}} {{tag}}", duration=0.5)
        + recipes.entry("variants", name="a")
        + recipes.entry("variants", name="b", vars={"headline": "今なら 0円", "tag": "2"})
        + recipes.table("matrix", **{"output.fps": [10, 12]})
    )
    path = project(text)
    monkeypatch.chdir(project.folder)
    labels: dict[str, list[str]] = {}
    real = report.make_storyboard

    def storyboard(rows, dest):  # the real storyboard, its labels kept to compare
        labels.update({r.title: r.notes for r in rows})
        return real(rows, dest)

    monkeypatch.setattr(report, "make_storyboard", storyboard)
    assert main(["variants", path.name]) == 0
    listed: dict[str, list[str]] = {}
    for line in capsys.readouterr().out.splitlines()[1:]:
        if not line.startswith(" "):
            name = line.split("  [")[0]
            listed[name] = []
        elif not line.startswith("    ->"):
            listed[name].append(line.strip())
    assert listed["a,output.fps=10"] == [AS_WRITTEN]
    assert listed["b,output.fps=12"] == ['headline = "今なら 0円"', 'tag = "2"', "output.fps = 12"]

    assert main(["render", path.name, "--quiet", "--jobs", "1"]) == 0
    capsys.readouterr()
    with open(project.folder / "out" / "batch.csv", encoding="utf-8", newline="") as f:
        in_csv = {row["label"]: row["differs"] for row in csv.DictReader(f)}
    assert set(in_csv) == set(listed) and len(listed) == 4
    for name, lines in listed.items():
        assert in_csv[name] == "; ".join(x for x in lines if x != AS_WRITTEN), name
        title = next(t for t in labels if t == name or t.startswith(f"{name} ("))
        assert labels[title] == lines, name
