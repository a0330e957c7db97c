"""One studio session: the recipe watched, its previews rendered on every save (the latest
state only), and the state the page shows, as plain JSON-able data with a version number that
goes up on every change (the page's event stream sends it then)."""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..assets import load_recipe
from ..assets.cost import recipe_cost
from ..batch import render_batch
from ..errors import CmforgeError, Problem, RecipeError
from ..pipeline import BudgetError
from ..pipeline import plan as plan_variant
from ..recipe.model import Recipe
from ..render import Plan
from .buttons import Buttons
from .problems import describe as _describe
from .watch import Watching

QUIET = 0.4  # seconds without a save before the preview renders (a burst of saves: one render)


class Superseded(Exception):
    """A newer save arrived: the render in progress stops (its partial files are removed by
    the render stage, the segments already made stay in the cache)."""


class Studio(Buttons, Watching):
    """The recipe at `path`, its variants' previews kept up to date.

    `plan_text` turns a variant's plan into the timeline table the page shows (the command
    line's own `plan` table). Previews never pay for anything (a budget of $0); generating the
    missing clips is a separate, confirmed request (generate)."""

    def __init__(
        self,
        path: Path,
        *,
        plan_text: Callable[[Plan], str] | None = None,
        quiet: float = QUIET,
        guides: bool = False,
    ):
        self.path = Path(path).resolve()
        self.folder = self.path.parent
        self.plan_text = plan_text or (lambda _p: "")
        self.quiet = quiet
        self.guides = guides
        self.token = secrets.token_urlsafe(24)
        self.renders = 0  # previews started (a test counts them)
        self.cancelled = 0  # previews stopped by a newer save
        self.recipes: list[Recipe] = []
        self.version = 0
        self._lock = threading.Condition()
        self._due: float | None = None
        self._cancel = threading.Event()
        self._stop = threading.Event()
        self._rendering = False
        self._busy = False  # a final render or a generation is running
        self._threads: list[threading.Thread] = []
        self._state: dict[str, Any] = {
            "recipe": self.path.name,
            "status": "starting",
            "message": "reading the recipe",
            "variants": [],
            "problems": [],
            "warnings": [],
            "cost": {"lines": [], "usd": 0.0, "within": True, "items": 0},
            "storyboard": None,
            "storyboard_at": None,
            "guides": guides,
            "job": None,
        }
        self.outputs: list[Path] = []  # the folders the videos are written to

    # -- the state the page shows

    def snapshot(self) -> dict:
        with self._lock:
            return {**self._state, "version": self.version}

    def _update(self, **changes: Any) -> None:
        with self._lock:
            self._state.update(changes)
            self.version += 1
            self._lock.notify_all()

    def wait_version(self, seen: int, timeout: float) -> int:
        """Block until the version differs from `seen` (or timeout); returns the version."""
        with self._lock:
            self._lock.wait_for(lambda: self.version != seen or self._stop.is_set(), timeout)
            return self.version

    # -- saves, the worker that renders

    def touch(self) -> None:
        """A save: render the latest state once the saves have been quiet for `quiet` s; a
        preview in progress is stopped."""
        with self._lock:
            self._due = time.monotonic() + self.quiet
            if self._rendering:
                self._cancel.set()
            self._lock.notify_all()

    def idle(self) -> bool:
        with self._lock:
            return self._due is None and not self._rendering

    def start(self, watch: bool = True) -> None:
        """The first preview now, then one after every save (watch: the recipe's folder and
        the folders of the media it reads are watched)."""
        self._due = time.monotonic()
        self._spawn(self._worker, "studio-render")
        if watch:
            self._spawn(self._watcher, "studio-watch")

    def stop(self) -> None:
        self._stop.set()
        self._cancel.set()
        with self._lock:
            self._lock.notify_all()
        for t in self._threads:
            t.join(timeout=10)

    def _spawn(self, target: Callable[[], None], name: str) -> threading.Thread:
        t = threading.Thread(target=target, name=name, daemon=True)
        self._threads.append(t)
        t.start()
        return t

    def _worker(self) -> None:
        while not self._stop.is_set():
            with self._lock:
                while not self._stop.is_set():
                    now = time.monotonic()
                    if self._due is not None and now >= self._due:
                        break
                    self._lock.wait(None if self._due is None else self._due - now)
                if self._stop.is_set():
                    return
                self._due = None
                self._cancel.clear()
                self._rendering = True
            try:
                self._refresh()
            except Exception as e:  # noqa: BLE001 - a bug must not stop the studio's previews
                self._update(status="failed", message=f"internal error: {type(e).__name__}: {e}")
            finally:
                with self._lock:
                    self._rendering = False
                    self._lock.notify_all()

    def _refresh(self) -> None:
        """Read the recipe, plan every variant, render the previews. A broken recipe keeps the
        last good previews and shows its problems instead."""
        try:
            recipes = load_recipe(self.path)
            plans = {r.variant: plan_variant(r, preview=True, guides=self.guides) for r in recipes}
        except RecipeError as e:
            self._broken(e.problems)
            return
        except CmforgeError as e:
            self._broken([Problem(str(e), file=self.path)])
            return
        self.recipes = recipes
        self.outputs = sorted({p.output.parent.resolve() for p in plans.values()})
        old = {v["name"]: v for v in self.snapshot()["variants"]}
        variants = []
        for r in recipes:
            p = plans[r.variant]
            variants.append(
                {
                    "name": r.variant,
                    "label": r.label or r.variant,
                    "preview": self.url_of(p.output),
                    "preview_at": old.get(r.variant, {}).get("preview_at"),
                    "video": self.url_of(r.output.path),
                    "seconds": round(p.timeline.frames / float(p.timeline.fps), 2),
                    "plan": self.plan_text(p),
                    "progress": 0.0,
                }
            )
        warnings: list[dict] = []
        for w in (w for p in plans.values() for w in p.timeline.warnings):
            if _describe(w) not in warnings:  # the same line warned of for every variant once
                warnings.append(_describe(w))
        cost = recipe_cost(recipes, max_credits=0, max_cost=0)
        spend = recipe_cost(recipes)  # against the recipe's own budget: what Generate may do
        self._update(
            status="rendering",
            message="rendering the previews",
            variants=variants,
            problems=[],
            warnings=warnings,
            cost={
                "lines": spend.lines(),
                "usd": spend.usd,
                "within": spend.within,
                "items": sum(x.items for x in cost.providers),
            },
        )
        self.renders += 1
        progress = {v["name"]: 0.0 for v in variants}

        def bar(name: str, _frames: int) -> Callable[[int, int], None]:
            def advance(done: int, total: int) -> None:
                if self._cancel.is_set():
                    raise Superseded()
                progress[name] = round(done / total, 3) if total else 0.0
                self._progress(progress)

            return advance

        try:
            result = render_batch(
                recipes,
                jobs=1,
                preview=True,
                guides=self.guides,
                max_credits=0,
                max_cost=0,
                on_progress_factory=bar,
            )
        except BudgetError:  # stills or clips to make that cost money: never paid on a save
            self._update(
                status="waiting",
                message="no preview until the paid stills and clips are made: see To generate",
            )
            return
        except CmforgeError as e:
            if self._cancel.is_set():
                self.cancelled += 1
                return
            self._update(status="failed", message=str(e))
            return
        if self._cancel.is_set():
            self.cancelled += 1
            return
        failed = [v for v in result.variants if v.status == "failed"]
        stamp = time.time()
        snap = self.snapshot()["variants"]
        for v in snap:
            done = next((x for x in result.variants if x.variant == v["name"]), None)
            if done is not None and done.status != "failed" and done.output:
                v["preview_at"] = stamp
                v["progress"] = 1.0
        self._update(
            variants=snap,
            status="failed" if failed else "ready",
            message="; ".join(f"{v.variant}: {v.error}" for v in failed)
            or f"previews rendered at {time.strftime('%H:%M:%S')}",
            storyboard=self.url_of(result.storyboard) if result.storyboard else None,
            storyboard_at=stamp,
        )

    def _progress(self, progress: dict[str, float]) -> None:
        with self._lock:
            for v in self._state["variants"]:
                if v["name"] in progress:
                    v["progress"] = progress[v["name"]]
            self.version += 1
            self._lock.notify_all()

    def _broken(self, problems: list[Problem]) -> None:
        self._update(
            status="broken",
            message=f"{len(problems)} problem(s) in the recipe; the last good preview is shown",
            problems=[_describe(p) for p in problems],
        )

    # -- files the page may link to

    def roots(self) -> dict[str, Path]:
        """The folders served: the recipe's folder ('files') and each output folder."""
        roots = {"files": self.folder}
        for i, out in enumerate(self.outputs):
            if not out.is_relative_to(self.folder):
                roots[f"out{i}"] = out
        return roots

    def url_of(self, path: Path | None) -> str | None:
        if path is None:
            return None
        full = Path(path).resolve() if Path(path).is_absolute() else (self.folder / path)
        for name, root in self.roots().items():
            if full.is_relative_to(root):
                return f"/{name}/" + full.relative_to(root).as_posix()
        out = full.parent
        if out not in self.outputs:
            self.outputs.append(out)
        return self.url_of(full)
