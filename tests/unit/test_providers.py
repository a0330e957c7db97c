"""Providers are plug-ins: a new one is registered in one place and a recipe can use it at
once (its keys validated, its cost budgeted, its jobs fingerprinted and generated); no
provider is named outside its own package."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

import cmforge
from cmforge import RecipeError, load_recipe, plan
from cmforge.assets import Budget, BudgetError, check_budget, gather
from cmforge.assets.generation import generate_all, generation_plan
from cmforge.generate import (
    PROVIDERS,
    GenerationJob,
    GenerationResult,
    Provider,
    choose,
    jobs_for,
    register,
    unregister,
)
from cmforge.recipe.schema import recipe_schema
from cmforge.recipe.spec import F

SRC = Path(cmforge.__file__).parent


class Sketch(Provider):
    """A provider that exists only in this test: it draws nothing, it writes a file."""

    name = "sketch"
    priority = 50  # above every shipped provider: the default whenever it can run
    options = {"pencil": F("str", "pencil hardness", choices=("hb", "2b"))}
    defaults = {"pencil": "hb"}
    made: list[tuple[str, str, int]] = []

    @classmethod
    def available(cls, env):  # noqa: ANN001, ANN206
        if env.get("SKETCH_PAPER"):
            return True, "SKETCH_PAPER is set"
        return False, "no SKETCH_PAPER set"

    def estimate(self, job: GenerationJob) -> dict:
        pencil = self.settings(job.generate.options)["pencil"]
        return {"provider": self.name, "credits": 3, "money": 0.3, "what": f"{pencil} sketch"}

    def generate(self, job: GenerationJob, on_status, take=1) -> GenerationResult:  # noqa: ANN001
        self.made.append((job.scene_key, self.settings(job.generate.options)["pencil"], take))
        job.dest.parent.mkdir(parents=True, exist_ok=True)
        job.dest.write_bytes(b"sketch")
        return GenerationResult(job.dest, self.name, job.request(), cost=3.0)


@pytest.fixture
def sketch() -> Iterator[type[Sketch]]:
    register(Sketch)
    Sketch.made = []
    yield Sketch
    unregister("sketch")


RECIPE = """[output]
size = [180, 320]
fps = 15
[generate]
max_credits = {budget}
[[scenes]]
type = "clip"
duration = 2.0
  [scenes.generate]
  prompt = "a pencil drawing of a classroom"
{keys}"""


def test_a_registered_provider_is_used_by_a_recipe(project, sketch, monkeypatch) -> None:
    path = project(RECIPE.format(budget=10, keys='  provider = "sketch"\n  pencil = "2b"\n'))
    monkeypatch.setenv("SKETCH_PAPER", "1")
    [recipe] = load_recipe(path)
    assert recipe.scenes[0].generate.options == {"pencil": "2b"}
    p = plan(recipe)
    [entry] = p.generation
    assert entry["provider"] == "sketch" and entry["what"] == "2b sketch"
    assert entry["why"] == 'provider = "sketch" in the recipe' and entry["credits"] == 3
    results = generate_all(recipe, p.assets, lambda _m: None)
    assert Sketch.made == [("scenes[0]", "2b", 1)]
    [result] = results.values()
    assert result.provider == "sketch" and result.request["provider"] == "sketch"
    assert result.request["pencil"] == "2b"


def test_its_keys_are_checked_like_every_other_key(project, sketch) -> None:
    path = project(RECIPE.format(budget=0, keys='  provider = "sketch"\n  pensil = "4h"\n'))
    with pytest.raises(RecipeError) as err:
        load_recipe(path)
    [problem] = err.value.problems
    assert problem.key == "scenes[0].generate.pensil" and problem.line == 12
    assert "did you mean 'pencil'" in problem.hint
    path = project(RECIPE.format(budget=0, keys='  pencil = "4h"\n  provider = "sketchy"\n'))
    with pytest.raises(RecipeError) as err:
        load_recipe(path)
    messages = {p.key: p.message for p in err.value.problems}
    assert "'4h' is not one of: hb, 2b" in messages["scenes[0].generate.pencil"]
    assert "local, kling, sketch" in messages["scenes[0].generate.provider"]
    generate = recipe_schema()["properties"]["scenes"]["items"]["oneOf"]
    [clip] = [s for s in generate if s["properties"]["type"] == {"const": "clip"}]
    keys = clip["properties"]["generate"]["properties"]
    assert keys["pencil"]["enum"] == ["hb", "2b"] and "sketch" in keys["provider"]["enum"]


def test_unregistered_its_keys_are_unknown_again(project) -> None:
    path = project(RECIPE.format(budget=0, keys='  pencil = "2b"\n'))
    with pytest.raises(RecipeError, match="unknown key"):
        load_recipe(path)


def test_the_contract_chooses_by_priority_and_falls_back(project, sketch, monkeypatch) -> None:
    path = project(RECIPE.format(budget=0, keys=""))
    [recipe] = load_recipe(path)
    gen = recipe.scenes[0].generate
    assert choose(gen, {"SKETCH_PAPER": "1"})[0] is Sketch
    keys = {"KLING_ACCESS_KEY": "a", "KLING_SECRET_KEY": "b"}
    provider, why = choose(gen, keys)
    assert provider is PROVIDERS["kling"] and why.startswith("no SKETCH_PAPER set: ")
    provider, why = choose(gen, {})
    assert provider is PROVIDERS["local"]
    assert why == (
        "no SKETCH_PAPER set: no KLING_ACCESS_KEY/KLING_SECRET_KEY set: "
        "offline stand-in, no credits spent"
    )
    monkeypatch.setenv("SKETCH_PAPER", "1")
    entries = generation_plan(recipe, gather(recipe))
    with pytest.raises(BudgetError, match=r"3 sketch credits = \$0.30, above the budget of \$0.00"):
        check_budget(entries, Budget())


def test_a_new_provider_keys_its_own_jobs_and_leaves_the_others_alone(project) -> None:
    path = project(RECIPE.format(budget=0, keys=""))
    [recipe] = load_recipe(path)
    before = jobs_for(recipe.scenes[0], project.folder, (180, 320), {})
    register(Sketch)
    try:
        same = jobs_for(recipe.scenes[0], project.folder, (180, 320), {})
        drawn = jobs_for(recipe.scenes[0], project.folder, (180, 320), {"SKETCH_PAPER": "1"})
    finally:
        unregister("sketch")
    assert [j.fingerprint for j in same] == [j.fingerprint for j in before]
    assert drawn[0].provider == "sketch" and drawn[0].fingerprint != before[0].fingerprint


# ----- no provider is named outside its package ------------------------------------------


def _is_cli(path: Path) -> bool:
    """The command line may name a provider's own commands (`cmforge kling status`)."""
    rel = path.relative_to(SRC).parts
    return rel[0].startswith("cli")


def _modules() -> list[Path]:
    return sorted(SRC.rglob("*.py"))


def test_no_module_outside_a_provider_package_names_a_provider() -> None:
    shipped = [name for name in PROVIDERS]
    assert shipped == ["local", "kling"]
    registration = SRC / "generate" / "__init__.py"  # the one place providers are registered
    prices = SRC / "generate" / "prices.py"  # the one price table, every provider side by side
    offenders = []
    for path in _modules():
        rel = path.relative_to(SRC)
        if _is_cli(path) or path in (registration, prices):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        literals = {
            n.value
            for n in ast.walk(tree)
            if isinstance(n, ast.Constant) and isinstance(n.value, str)
        }
        for name in shipped:
            if rel.parts[:2] == ("generate", name):
                continue
            if name in literals:
                offenders.append(f"{rel}: the string {name!r}")
        if rel.parts[:2] != ("generate", "kling") and re.search(
            "kling", path.read_text(encoding="utf-8"), re.IGNORECASE
        ):
            offenders.append(f"{rel}: mentions kling")
    assert offenders == []


def test_generate_has_no_import_circle() -> None:
    """base.py names no provider and imports none; providers import base, never the reverse."""
    imports: dict[str, set[str]] = {}
    root = SRC / "generate"
    for path in root.rglob("*.py"):
        module = ".".join(path.relative_to(SRC.parent).with_suffix("").parts)
        module = module.removesuffix(".__init__")
        package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
        found = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                target = f"{base}.{node.module}" if node.module else base
                found.add(target)
                found.update(f"{target}.{a.name}" for a in node.names)
        imports[module] = {m for m in found if m.startswith("cmforge.generate")}
    modules = set(imports)
    graph = {m: {t for t in imports[m] if t in modules and t != m} for m in modules}
    assert graph["cmforge.generate.base"] == set()

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        for nxt in graph[start]:
            if nxt == goal or (nxt not in seen and reaches(nxt, goal, seen | {nxt})):
                return True
        return False

    circles = sorted(m for m in modules if reaches(m, m, {m}))
    assert circles == []
