"""Tier 1: the budget (US dollars, and the limit in Kling API units) is checked in one place
(assets.check_batch_budget), once per
batch, before anything is generated or rendered, over every variant's clips (a clip the
variants share, one file, counted once). Paid clips are priced by the Kling provider's cost
model with dummy keys: nothing here talks to a server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import media
import pytest
from recipes import load_one, output, scene, title, write

import cmforge.assets.budget as budget
from cmforge import load_recipe
from cmforge.assets import Budget, BudgetError, budget_of, check_batch_budget, check_budget
from cmforge.batch import Outcome, VariantTask, render_batch
from cmforge.contact import generate_takes

CLIP = 2  # Kling API units of a std 5 s clip of the default model
UNITS = "Kling API units"
OVER = r"2 clip\(s\) costs 4 Kling API units = \$0.56, above the limit of {} Kling API units"


def paid(scene_key: str, dest: str, credits: float = CLIP) -> dict:
    """A generation plan entry as generation_plan makes it, for a paid clip."""
    return {
        "scene": scene_key,
        "dest": dest,
        "credits": credits,
        "unit": UNITS,
        "what": "a clip",
        "money": round(credits * 0.14, 4),
    }


# ----- the rule, on plain entries ------------------------------------------------------------


def test_the_budget_comes_from_the_command_line_then_the_recipe_then_zero(tmp_path) -> None:
    plain = load_one(write(tmp_path, output() + title()))
    capped = load_one(write(tmp_path, table_budget(7) + output() + title(), "capped.toml"))
    assert budget_of(plain, None) == Budget()  # nothing given: $0
    assert "$0.00 (no budget given" in Budget().text()
    assert budget_of(capped, None) == Budget(None, "", 7, "[generate] max_credits in the recipe")
    assert budget_of(capped, 3) == Budget(None, "", 3, "--max-credits")
    both = "$2.50 (--max-cost) and 3 Kling API units (--max-credits)"
    assert budget_of(capped, 3, 2.5).text() == both


def test_a_clip_the_variants_share_is_counted_once(tmp_path) -> None:
    first = load_one(write(tmp_path, output() + title()))
    shared = [paid("scenes[0]", "clips/a.mp4"), paid("scenes[0]", "clips/a.mp4")]
    check_batch_budget(first, shared, max_credits=CLIP)  # one clip: within the budget
    both = [paid("scenes[0]", "clips/a.mp4"), paid("scenes[0]", "clips/b.mp4")]
    with pytest.raises(BudgetError, match=OVER.format(3)):
        check_batch_budget(first, both, max_credits=3)


def test_free_clips_cost_nothing_and_an_over_budget_lists_each_paid_clip() -> None:
    free = {"scene": "scenes[1]", "dest": "clips/free.mp4", "credits": 0, "what": "local"}
    check_budget([free], Budget())
    with pytest.raises(BudgetError) as caught:
        check_budget([free, paid("scenes[2]", "clips/c.mp4")], Budget(None, "", 0, "--max-credits"))
    text = str(caught.value)
    assert "scenes[2]: 2 Kling API units = $0.28" in text and "scenes[1]" not in text
    assert "(--max-credits); nothing was generated or spent" in text
    assert caught.value.exit_code == 2


def table_budget(credits: float) -> str:
    return f"[generate]\nmax_credits = {credits}\n"


# ----- once per batch, before the first paid request ------------------------------------------

PAID_AD = (
    output()
    + "[vars]\nhand = 'left'\n"
    + scene("clip", duration=1.0)
    + '  [scenes.generate]\n  image = "still.png"\n  prompt = "raises the {{hand}} hand"\n'
    + '  mode = "std"\n  length = 5\n'
    + "[[variants]]\nname = 'a'\n"
    + "[[variants]]\nname = 'b'\n"
)


@pytest.fixture
def kling_keys(monkeypatch) -> None:
    """Kling is the provider (dummy keys): its clips are paid, priced offline."""
    monkeypatch.setenv("KLING_ACCESS_KEY", "access")
    monkeypatch.setenv("KLING_SECRET_KEY", "secret")
    monkeypatch.setenv("KLING_API_BASE", "http://127.0.0.1:9")  # nothing listens: no request


def ad(folder: Path, *, differ: bool) -> list:
    """Two variants with one generated clip each: the same clip, or one each (differ)."""
    media.still(folder / "still.png", (180, 320))
    text = PAID_AD + ("[variants.vars]\nhand = 'right'\n" if differ else "")
    return load_recipe(write(folder, text))


class Recording:
    """An executor that renders nothing: it records what it was given."""

    def __init__(self) -> None:
        self.sent: list[VariantTask] = []

    def run(self, tasks, on_event, progress) -> Iterator[Outcome]:  # noqa: ANN001
        for task in tasks:
            self.sent.append(task)
            yield Outcome(task.variant, output=task.plan.output if task.plan else None)


@pytest.fixture
def checks(monkeypatch) -> list[float]:
    """Every budget check made, by the budget it was made against."""
    made: list[float] = []
    real = budget.check_budget

    def counted(entries: list[dict], limit: Budget) -> None:
        made.append(limit.max_units if limit.max_units is not None else limit.max_usd)
        real(entries, limit)

    monkeypatch.setattr(budget, "check_budget", counted)
    return made


def test_a_batch_over_budget_is_refused_before_anything_renders_or_is_said(
    tmp_path, kling_keys, checks
) -> None:
    recipes = ad(tmp_path, differ=True)
    executor, said = Recording(), []
    with pytest.raises(BudgetError, match=OVER.format(3)):
        render_batch(recipes, max_credits=3, executor=executor, on_event=said.append)
    assert executor.sent == [] and said == [] and checks == [3]


def test_a_batch_checks_once_and_its_renders_do_not_check_again(
    tmp_path, kling_keys, checks
) -> None:
    recipes = ad(tmp_path, differ=False)  # one clip, shared: 2 credits for the batch
    executor = Recording()
    result = render_batch(recipes, max_credits=CLIP, executor=executor, reports=False)
    assert result.ok and checks == [CLIP]
    assert [t.variant for t in executor.sent] == ["a", "b"]
    assert all(t.generates for t in executor.sent), "each render makes (or waits for) the clip"


def test_a_batch_render_is_told_its_budget_was_checked(tmp_path, monkeypatch) -> None:
    """The executor's render of a variant does not check the budget on its own."""
    import cmforge.batch.executors as executors

    asked: list[dict] = []

    def render(recipe, **kw):  # noqa: ANN001, ANN202
        asked.append(kw)
        return tmp_path / "out.mp4"

    monkeypatch.setattr(executors, "render", render)
    [r] = load_recipe(write(tmp_path, output() + title()))
    outcome = executors.render_variant(VariantTask(r))
    assert outcome.ok and asked[0]["budget_checked"] is True and "max_credits" not in asked[0]


def test_generate_checks_every_variant_before_the_first_clip(tmp_path, kling_keys, checks) -> None:
    recipes = ad(tmp_path, differ=True)
    with pytest.raises(BudgetError, match=OVER.format(2)):
        next(generate_takes(recipes, max_credits=CLIP))
    assert checks == [CLIP] and not (tmp_path / ".cmforge" / "cache").exists()


# ----- one budget in US dollars across providers (issue 11, section 3) ----------------------


def flux(scene_key: str, dest: str, credits: float = 4) -> dict:
    """A paid still billed in FLUX credits ($0.01 each)."""
    return {
        "scene": scene_key,
        "makes": "still",
        "dest": dest,
        "credits": credits,
        "unit": "FLUX credits",
        "what": "a still",
        "money": credits * 0.01,
    }


def test_max_cost_comes_from_the_command_line_then_the_recipe(tmp_path) -> None:
    capped = load_one(write(tmp_path, "[generate]\nmax_cost = 2.5\n" + output() + title()))
    assert budget_of(capped).max_usd == 2.5
    assert budget_of(capped).usd_source == "[generate] max_cost in the recipe"
    assert budget_of(capped, None, 0.5) == Budget(0.5, "--max-cost")


def test_one_money_budget_holds_every_provider_together() -> None:
    items = [paid("scenes[0]", "clips/a.mp4", 3.5), flux("stills[0]", "stills/a.png")]
    check_budget(items, Budget(0.53, "--max-cost"))  # $0.49 + $0.04
    with pytest.raises(BudgetError) as caught:
        check_budget(items, Budget(0.50, "--max-cost"))
    text = str(caught.value)
    assert "1 clip(s) and 1 still(s) costs $0.53 (3.5 Kling API units, 4 FLUX credits)" in text
    assert "above the budget of $0.50 (--max-cost)" in text
    assert "stills[0]: 4 FLUX credits = $0.04 (a still)" in text
    assert "--max-cost 0.53" in text


def test_a_kling_unit_limit_alone_does_not_pay_for_other_units() -> None:
    items = [paid("scenes[0]", "clips/a.mp4", 3.5), flux("stills[0]", "stills/a.png")]
    check_budget(items[:1], Budget(None, "", 3.5, "--max-credits"))
    with pytest.raises(BudgetError, match="other units than Kling API units .*budget in money"):
        check_budget(items, Budget(None, "", 3.5, "--max-credits"))
    check_budget(items, Budget(1.0, "--max-cost", 3.5, "--max-credits"))  # both given: both hold
    with pytest.raises(BudgetError, match="above the limit of 3 Kling API units"):
        check_budget(items, Budget(1.0, "--max-cost", 3, "--max-credits"))


def test_the_plan_budget_line_covers_every_variant() -> None:
    from cmforge.assets.budget import budget_line

    items = [paid("scenes[0]", "clips/a.mp4", 3.5), paid("scenes[0]", "clips/b.mp4", 3.5)]
    line = budget_line(items, Budget(None, "", 3.5, "--max-credits"), 2)
    assert line.startswith("budget: all 2 variants together: 2 clip(s) paid, ")
    assert "7 Kling API units = $0.98, ABOVE the budget of 3.5 Kling API units" in line
    line = budget_line(items, Budget(1.0, "--max-cost"), 2)
    assert "within the budget of $1.00 (--max-cost)" in line


def test_recipe_cost_per_provider_for_the_account_commands(tmp_path, kling_keys) -> None:
    from cmforge.assets import recipe_cost

    recipes = ad(tmp_path, differ=True)  # two clips, std 5 s of the default model
    cost = recipe_cost(recipes, max_cost=0.5)
    [kling] = cost.of("kling")
    assert (kling.amount, kling.unit, kling.usd, kling.items) == (4, UNITS, 0.56, 2)
    assert not cost.within and cost.lines() == [
        "kling: 2 item(s), 4 Kling API units = $0.56",
        "total $0.56, ABOVE the budget of $0.50 (--max-cost)",
    ]
    assert recipe_cost(recipes[:1], max_cost=0.5).within
