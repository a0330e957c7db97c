"""Every problem at once: when a recipe has problems of its own, the files its well-formed
parts name are looked at in the same run (a missing image is not held back until a typo'd
key is fixed)."""

from __future__ import annotations

import shutil
from pathlib import Path

from cmforge.cli import main
from cmforge.recipe.files import file_refs
from cmforge.recipe.load import read_recipe

BROKEN = Path(__file__).resolve().parents[1] / "broken"


def test_a_type_error_a_typo_and_missing_and_damaged_files_in_one_run(
    tmp_path: Path, capsys
) -> None:
    shutil.copytree(BROKEN, tmp_path / "p")
    path = tmp_path / "p" / "media_beside_other_problems.toml"
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert "4 problems found" in err, err
    assert f"{path}:5: output.fps: expected a number" in err
    assert f"{path}:9: scenes[0].durtion: unknown key" in err
    assert f"{path}:12: scenes[1].src: 'media/truncated.mp4': not a readable media file" in err
    assert f"{path}:15: scenes[2].src: 'images/nope.png': file not found" in err


def test_the_files_of_the_well_formed_parts(tmp_path: Path) -> None:
    path = tmp_path / "r.toml"
    path.write_text(
        '[output]\nfps = 15\n[[scenes]]\ntype = "title"\nbackground = "bg.jpg"\n'
        '[[scenes]]\ntype = "title"\nbackground = "#ffffff"\n'
        '[[scenes]]\ntype = "clip"\nsrc = "made.mp4"\n[scenes.generate]\nprompt = "x"\n'
        'image = "still.png"\n'
        '[[scenes]]\ntype = "nope"\nsrc = "x.mp4"\n'
        '[[scenes]]\ntype = "endslate"\nlogo = "{{brand}}.png"\n'
        '[[overlays]]\nsrc = "logo.png"\n[[audio]]\nsrc = 3\n[music]\ntrack = "m/song.m4a"\n'
        '[[stills]]\npath = "made.png"\nprompt = "x"\n',
        encoding="utf-8",
    )
    source = read_recipe(path)
    refs = {key: p.name for key, p in file_refs(source.data, source.folder)}
    assert refs == {
        "scenes[0].background": "bg.jpg",
        "scenes[2].generate.image": "still.png",
        "overlays[0].src": "logo.png",
        "music.track": "song.m4a",  # a file; a library id ("bright-steps") is not one
    }
