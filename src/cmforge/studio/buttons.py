"""The studio's buttons: the final videos rendered (all variants or one, progress shown) and
the missing stills and clips generated, only at the cost the page showed and within the
recipe's budget. A mixin of Studio (session.py): it uses the session's recipes, state and
threads."""

from __future__ import annotations

from collections.abc import Callable

from ..assets.cost import recipe_cost
from ..batch import render_batch
from ..contact import generate_takes
from ..errors import CmforgeError


class Buttons:
    """What the page's buttons start; each returns why not, or None once started."""

    def render_final(self, variant: str | None = None) -> str | None:
        """Render the final videos (every variant, or one) in the background, nothing paid;
        returns why not, or None once started."""
        chosen = [r for r in self.recipes if variant is None or r.variant == variant]
        if not chosen:
            return f"no variant named {variant!r}" if variant else "the recipe has no variants"
        if not self._claim():
            return "a final render or a generation is running already"
        progress = {r.variant: 0.0 for r in chosen}

        def bar(name: str, _frames: int) -> Callable[[int, int], None]:
            def advance(done: int, total: int) -> None:
                progress[name] = round(done / total, 3) if total else 0.0
                self._update(job={"kind": "final", "progress": dict(progress), "done": False})

            return advance

        def run() -> None:
            self._update(job={"kind": "final", "progress": progress, "done": False})
            try:
                result = render_batch(
                    chosen, jobs=1, max_credits=0, max_cost=0, on_progress_factory=bar
                )
                files = [self.url_of(v.output) for v in result.variants if v.output]
                errors = [f"{v.variant}: {v.error}" for v in result.variants if v.error]
                job = {
                    "kind": "final",
                    "progress": progress,
                    "done": True,
                    "files": files,
                    "errors": errors,
                }
            except CmforgeError as e:
                job = {"kind": "final", "progress": progress, "done": True, "errors": [str(e)]}
            self._release()
            self._update(job=job)

        self._spawn(run, "studio-final")
        return None

    def generate(self, confirmed_usd: float) -> str | None:
        """Generate the missing stills and clips, only when the page showed what it costs
        (confirmed_usd equals the cost now) and it is within the recipe's budget; returns why
        not, or None once started."""
        if not self.recipes:
            return "the recipe has problems; fix them first"
        cost = recipe_cost(self.recipes)
        if not cost.providers:
            return "nothing to generate: every still and clip exists"
        if not cost.within:
            return f"above the budget: {cost.over}"
        if abs(cost.usd - confirmed_usd) > 0.005:
            return f"the cost is now ${cost.usd:.2f}, not ${confirmed_usd:.2f}: look again"
        if not self._claim():
            return "a final render or a generation is running already"
        recipes = list(self.recipes)

        def run() -> None:
            said: list[str] = []

            def say(m: str) -> None:
                said.append(str(m))
                self._update(job={"kind": "generate", "said": said[-5:], "done": False})

            self._update(job={"kind": "generate", "said": [], "done": False})
            try:
                sheets = list(generate_takes(recipes, on_event=say))
                job = {
                    "kind": "generate",
                    "said": said[-5:],
                    "done": True,
                    "files": [self.url_of(s) for s in sheets],
                    "errors": [],
                }
            except CmforgeError as e:
                job = {"kind": "generate", "said": said[-5:], "done": True, "errors": [str(e)]}
            self._release()
            self._update(job=job)
            self.touch()

        self._spawn(run, "studio-generate")
        return None

    def set_guides(self, on: bool) -> None:
        self.guides = on
        self._update(guides=on)
        self.touch()

    def _claim(self) -> bool:
        with self._lock:
            if self._busy:
                return False
            self._busy = True
            return True

    def _release(self) -> None:
        with self._lock:
            self._busy = False
