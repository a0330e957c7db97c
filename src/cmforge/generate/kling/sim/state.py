"""The simulator's account: tasks and their lifecycle, credits, concurrency, injected faults.

No HTTP here: every operation returns a ``Reply`` (HTTP status, business code, message,
data) that server.py wraps in the envelope. Time comes from an injectable clock, so a
task's status is a pure function of its creation time and its phase lengths.
"""

from __future__ import annotations

import base64
import hashlib
import random
import threading
import uuid
from collections import Counter
from collections.abc import Callable

from ...prices import kling_image_units
from ..prices import PriceTable
from ..task import IMAGES
from .account import costs as account_costs
from .account import created as created_tasks
from .checks import CreateFacts, Refusal, check_create
from .image_checks import check_image_create
from .model import (
    CREATE_FAULTS,
    DUPLICATES,
    FAULTS,
    LOOKUPS,
    MODERATION_MSG,
    REQUEST_FAULTS,
    TASK_FAULTS,
    Reply,
    SimConfig,
    SimTask,
)


class SimState:
    def __init__(self, config: SimConfig, clock: Callable[[], float], seed: int | None = None):
        if config.external_lookup not in LOOKUPS:
            raise ValueError(f"external_lookup must be one of {', '.join(LOOKUPS)}")
        if config.duplicate_external not in DUPLICATES:
            raise ValueError(f"duplicate_external must be one of {', '.join(DUPLICATES)}")
        self.config = config
        self.clock = clock
        self.rng = random.Random(seed)
        self.prices = PriceTable()
        self.tasks: dict[str, SimTask] = {}
        self.by_external: dict[str, str] = {}
        self.create_count = 0  # tasks stored (what the account would be charged for)
        self.request_count = 0  # every HTTP request, downloads included
        self.codes: Counter[int] = Counter()  # business codes answered (1303: over the cap)
        self.charged = 0.0  # video pack units
        self.image_charged = 0.0  # image pack units
        self.lock = threading.RLock()
        self._faults: list[list] = []  # [kind, remaining, route]
        self._next_id = 860_000_000_000_000_000 + self.rng.randrange(10**12) * 1000
        self._last_costs = -1e18

    # ----- faults ------------------------------------------------------------------------

    def inject(self, kind: str, count: int = 1, route: str | None = None) -> None:
        """Queue ``count`` faults of ``kind``; ``route`` narrows where (create, query, list,
        costs, download; "api" = any API route). The default depends on the kind."""
        if kind not in FAULTS:
            raise ValueError(f"unknown fault {kind!r}; one of {', '.join(FAULTS)}")
        if route is None:
            route = "create" if kind in (*CREATE_FAULTS, *TASK_FAULTS) else "api"
            route = "download" if kind == "truncate_result" else route
        with self.lock:
            self._faults.append([kind, count, route])

    def take_fault(self, route: str, kinds: tuple[str, ...]) -> str | None:
        """The first injected fault among ``kinds`` aimed at ``route`` (used up by this)."""
        with self.lock:
            for f in self._faults:
                kind, remaining, where = f
                hits = where == route or (where == "api" and route != "download")
                if kind in kinds and remaining > 0 and hits:
                    f[1] -= 1
                    return kind
        return None

    def random_fault(self, route: str) -> str | None:
        """With probability ``fail_rate``, a transient fault for an API request."""
        if route == "download" or self.rng.random() >= self.config.fail_rate:
            return None
        pool = ["rate_limit", "server_error", "timeout"]
        if route == "create":
            pool.append("timeout_after_create")
        return self.rng.choice(pool)

    # ----- routes ------------------------------------------------------------------------

    def create(self, family: str, body: object, base_url: str) -> Reply:
        cfg = self.config
        with self.lock:
            now = self.clock()
            fault = self.take_fault(
                "create", (*CREATE_FAULTS, *REQUEST_FAULTS, "drop")
            ) or self.random_fault("create")
            if fault and fault not in CREATE_FAULTS:
                return fault_reply(fault)
            images = family == IMAGES
            options = {"strict": cfg.strict, "unknown_model_code": cfg.unknown_model_code}
            if images:
                facts = check_image_create(body, **options)  # type: ignore[arg-type]
            else:
                facts = check_create(family, body, **options)  # type: ignore[arg-type]
            if isinstance(facts, Refusal):
                return Reply(facts.http, facts.code, facts.message)
            if any(w.lower() in facts.prompt.lower() for w in cfg.banned_words):
                return Reply(400, 1301, "content-safety policy triggered by the prompt")
            if cfg.flagged_images and _image_hashes(body) & set(cfg.flagged_images):
                return Reply(400, 1301, "content-safety policy triggered by the image")
            taken = facts.external_task_id and facts.external_task_id in self.by_external
            if taken and cfg.duplicate_external == "refuse":
                return Reply(400, 1201, "external_task_id already exists")
            if self._balance(now, images) <= 0 or (
                cfg.pack_expires_at and now > cfg.pack_expires_at
            ):
                pack = "image resource pack" if images else "resource pack"
                return Reply(429, 1102, f"{pack} exhausted")
            if images and self.image_slots(now) + facts.n > cfg.image_concurrency:
                return Reply(429, 1303, "parallel task over resource pack limit")
            if not images and self.running(now) >= cfg.concurrency:
                return Reply(429, 1303, "parallel task over resource pack limit")
            task = self._store(family, facts, now)
            if fault == "drop_after_create":
                return Reply(0, drop=True)
            if fault == "timeout_after_create":
                return fault_reply("timeout")
            return Reply(200, data=task.to_json(now, base_url, full=False))

    def query(
        self, family: str, ident: str, base_url: str, *, task_id: bool = True, external: bool = True
    ) -> Reply:
        """One task, by its task_id and/or by its external_task_id."""
        with self.lock:
            now = self.clock()
            self.settle(now)
            task = self.tasks.get(ident) if task_id else None
            if task is None and external:
                task = self.tasks.get(self.by_external.get(ident, ""))
            if task is None or task.family != family:
                return Reply(404, 1203, f"task {ident} does not exist")
            return Reply(200, data=task.to_json(now, base_url))

    def list(self, family: str, page: object, size: object, base_url: str) -> Reply:
        try:
            page_n, size_n = int(str(page or 1)), int(str(size or 30))
        except ValueError:
            return Reply(400, 1201, "pageNum and pageSize must be integers")
        if not 1 <= page_n <= 1000:
            return Reply(400, 1201, "pageNum must be within 1-1000")
        if not 1 <= size_n <= 500:
            return Reply(400, 1201, "pageSize must be within 1-500")
        with self.lock:
            now = self.clock()
            self.settle(now)
            mine = [t for t in self.tasks.values() if t.family == family]
            mine.sort(key=lambda t: t.created, reverse=True)  # newest first [?]
            chunk = mine[(page_n - 1) * size_n : page_n * size_n]
            return Reply(200, data=[t.to_json(now, base_url) for t in chunk])

    def costs(self, start: object, end: object) -> Reply:
        """``GET /account/costs`` (section 4.7): the video pack and the image pack."""
        return account_costs(self, start, end)

    def created(self) -> list[dict]:
        """Every task stored, oldest first (``GET /_sim/tasks``)."""
        return created_tasks(self)

    def result(self, video_id: str) -> tuple[int, SimTask | None]:
        """(HTTP status, task) for a result URL: 200, or 404 unknown / 410 expired."""
        with self.lock:
            now = self.clock()
            self.settle(now)
            task = next((t for t in self.tasks.values() if t.video_id == video_id), None)
            if task is None or task.phase(now)[0] != "succeed":
                return 404, None
            if now >= task.url_expires:
                return 410, None
            return 200, task

    # ----- lifecycle ---------------------------------------------------------------------

    def running(self, now: float) -> int:
        """Video tasks holding a slot of the video pack."""
        return sum(1 for t in self.tasks.values() if now < t.end and t.family != IMAGES)

    def image_slots(self, now: float) -> int:
        """Images being made: an image task holds one slot per image [3p]."""
        return sum(t.facts.n for t in self.tasks.values() if now < t.end and t.family == IMAGES)

    def settle(self, now: float) -> None:
        """Charge tasks that have succeeded by ``now`` (once) and date their URLs."""
        for t in self.tasks.values():
            if t.charged_at is None and now >= t.end and t.outcome == "succeed":
                t.charged_at = t.end
                if t.family == IMAGES:
                    self.image_charged += t.units
                else:
                    self.charged += t.units
                t.url_expires = t.end + (self.config.url_ttl if t.url_ttl is None else t.url_ttl)

    def _balance(self, now: float, images: bool = False) -> float:
        self.settle(now)
        if images:
            return self.config.image_pack_units - self.image_charged
        return self.config.pack_units - self.charged

    def _store(self, family: str, facts: CreateFacts, now: float) -> SimTask:
        cfg = self.config
        images = family == IMAGES
        scale = (
            (cfg.image_latency if cfg.image_latency is not None else cfg.latency / 4)
            if (images)
            else cfg.latency
        )
        for name in (facts.mode, f"{facts.length}s", facts.model):
            scale *= cfg.factors.get(name, 1.0)
        queue, run = scale * cfg.queue_share, scale * (1 - cfg.queue_share)
        outcome, msg, ttl = "succeed", "", None
        for kind in TASK_FAULTS:
            if self.take_fault("create", (kind,)) == kind:
                if kind == "slow_queue":
                    queue += cfg.slow_queue * cfg.latency
                elif kind == "expire_url":
                    ttl = 0.0
                elif kind == "moderation_fail":
                    outcome, msg = "failed", MODERATION_MSG
                else:
                    outcome, msg = "failed", "internal error; please try again"
        if any(w.lower() in facts.prompt.lower() for w in cfg.fail_words):
            outcome, msg = "failed", MODERATION_MSG
        elif outcome == "succeed" and self.rng.random() < cfg.task_fail_rate:
            outcome, msg = "failed", "internal error; please try again"
        self._next_id += self.rng.randrange(1, 1000)
        task = SimTask(
            task_id=str(self._next_id),
            family=family,
            facts=facts,
            created=now,
            queue_s=queue,
            run_s=run,
            outcome=outcome,
            fail_msg=msg,
            video_id=str(uuid.UUID(int=self.rng.getrandbits(128))),
            units=kling_image_units(facts.model, facts.n, facts.with_image)
            if images
            else self.prices.price(facts.model, facts.mode, facts.length).units,
            url_ttl=ttl,
        )
        self.tasks[task.task_id] = task
        if facts.external_task_id:
            self.by_external[facts.external_task_id] = task.task_id
        self.create_count += 1
        return task


def _image_hashes(body: dict) -> set[str]:
    """sha256 of the base64 images of a (validated) create body."""
    out = set()
    for role in ("image", "image_tail"):
        value = body.get(role)
        if isinstance(value, str) and value and not value.startswith(("http://", "https://")):
            out.add(hashlib.sha256(base64.b64decode(value)).hexdigest())
    return out


def fault_reply(kind: str) -> Reply:
    if kind == "drop":
        return Reply(0, drop=True)
    http, code, message = REQUEST_FAULTS[kind]
    return Reply(http, code, message)


__all__ = ["FAULTS", "Reply", "SimConfig", "SimState", "SimTask", "fault_reply"]
