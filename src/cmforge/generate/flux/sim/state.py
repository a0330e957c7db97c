"""The simulated FLUX account: its tasks, credits and active-task cap, its checks (FastAPI-
shaped 422s) and its faults. Pure state behind a lock; server.py speaks HTTP for it.

Choices where the reference leaves it open (image-apis.md, *Sim:*): credits are debited when a
create is accepted and not refunded (moderated and failed tasks too); `Task not found` comes
with HTTP 200; unknown body fields are ignored (``strict``: 422); tasks are kept 24 h; the
sample URL is fixed at Ready and answers 403 after ``url_ttl`` seconds.
"""

from __future__ import annotations

import random
import threading
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from ...prices import flux_cost
from ..models import MODELS, ULTRA, Model, size_for
from .checks import validate

# faults a test (or POST /_sim/inject) queues: each is used by the next request it applies to
FAULTS = {
    "server_error": "create: HTTP 500 before the task is stored (nothing created)",
    "lost_500": "create: the task is stored and charged, then HTTP 500 is answered",
    "lost_drop": "create: the task is stored and charged, then the connection is dropped",
    "lost_slow": "create: the task is stored and charged, the answer held for slow_answer s",
    "busy": "create: HTTP 429 (too many active tasks)",
    "no_credits": "create: HTTP 402",
    "unauthorized": "any call: HTTP 401",
    "task_error": "the next task ends in Error",
    "content_moderated": "the next task ends in Content Moderated",
    "poll_error": "poll: HTTP 503",
    "expire_url": "the next download answers 403 (the link has expired)",
    "forget_task": "the next poll answers Task not found",
}
MODERATED_WORDS = ("forbidden", "nsfw", "gore")  # a prompt with one: Request Moderated


@dataclass
class SimConfig:
    latency: float = 5.0  # seconds from create to Ready
    fail_rate: float = 0.0  # chance a task ends in Error (polls get a 503 at half of it)
    moderate_rate: float = 0.0  # chance a task ends in Content Moderated
    lost_rate: float = 0.0  # chance a create's answer is lost after the task is stored
    credits: float = 1000.0
    max_active: int = 24  # flux-kontext-max: 6
    url_ttl: float = 600.0
    task_ttl: float = 86_400.0
    slow_answer: float = 5.0  # lost_slow: how long the answer is held
    strict: bool = False  # unknown body fields answer 422
    not_found_404: bool = False  # Task not found with HTTP 404 instead of 200
    poll_host: str = ""  # polling_url on another host name (as FLUX names its clusters)
    generating: str = ""  # e.g. "Generating": what the second half of a task's time reads


@dataclass
class Reply:
    status: int
    body: object = None
    headers: dict = field(default_factory=dict)
    drop: bool = False  # close the connection without an answer
    hold: float = 0.0  # seconds to wait before answering (or dropping)


@dataclass
class SimTask:
    id: str
    model: str
    body: dict
    created_at: float
    cost: float
    size: tuple[int, int]
    fmt: str
    outcome: str  # Ready | Error | Content Moderated | Request Moderated
    ready_at: float
    key: str
    forgotten: bool = False

    def status(self, now: float) -> str:
        if self.forgotten:
            return "Task not found"
        if self.outcome == "Request Moderated" or now >= self.ready_at:
            return self.outcome
        return "Pending"


class SimState:
    def __init__(self, config: SimConfig, clock: Callable[[], float], seed: int | None):
        self.config = config
        self.clock = clock
        self.rng = random.Random(seed)
        self.lock = threading.RLock()
        self.tasks: dict[str, SimTask] = {}
        self.credits: dict[str, float] = {}
        self.faults: Counter[str] = Counter()
        self.statuses: Counter[int] = Counter()  # HTTP statuses answered
        self.poll_hosts: Counter[str] = Counter()  # the Host header of each poll
        self.requests = 0

    def inject(self, kind: str, count: int = 1) -> None:
        if kind not in FAULTS:
            raise ValueError(f"no fault {kind!r}; known: {', '.join(FAULTS)}")
        with self.lock:
            self.faults[kind] += count

    def take(self, *kinds: str) -> str | None:
        """The first of `kinds` queued (used up), under the lock."""
        for kind in kinds:
            if self.faults[kind] > 0:
                self.faults[kind] -= 1
                return kind
        return None

    def balance(self, key: str) -> float:
        return self.credits.setdefault(key, self.config.credits)

    def active(self, key: str, now: float) -> int:
        return sum(1 for t in self.tasks.values() if t.key == key and t.status(now) == "Pending")

    # ----- the calls ---------------------------------------------------------------------

    def create(self, key: str, model_name: str, body: object, base: str) -> Reply:
        with self.lock:
            model = MODELS.get("flux-kontext-pro" if model_name == "flux-kontext" else model_name)
            if model is None:
                return Reply(404, {"detail": "Not Found"})
            errors = validate(model, body, self.config.strict)
            if errors:
                return Reply(422, {"detail": errors})
            assert isinstance(body, dict)
            fault = self.take(
                "server_error", "busy", "no_credits", "lost_500", "lost_drop", "lost_slow"
            )
            if fault == "server_error":
                return Reply(500, {"detail": "Internal Server Error"})
            now = self.clock()
            cap = 6 if model.name == "flux-kontext-max" else self.config.max_active
            if fault == "busy" or self.active(key, now) >= cap:
                return Reply(
                    429,
                    {"detail": f"Too many active tasks (at most {cap} at once for this account)"},
                    {"Retry-After": "1"},
                )
            size = _size(model, body)
            cost = flux_cost(model.name, *size).amount
            if fault == "no_credits" or self.balance(key) < cost:
                return Reply(402, {"detail": "Insufficient credits"})
            self.credits[key] = round(self.balance(key) - cost, 4)
            outcome = self._outcome(str(body.get("prompt", "")))
            task_id = str(uuid.UUID(int=self.rng.getrandbits(128)))
            self.tasks[task_id] = SimTask(
                task_id,
                model.name,
                dict(body),
                now,
                cost,
                size,
                str(body.get("output_format") or "jpeg"),
                outcome,
                now + self.config.latency,
                key,
            )
            answer = {
                "id": task_id,
                "polling_url": f"{self._poll_base(base)}/v1/get_result?id={task_id}",
                "cost": cost,
                "input_mp": 0,
                "output_mp": round(size[0] * size[1] / 1e6, 2),
            }
            if fault is None and self.rng.random() < self.config.lost_rate:
                fault = "lost_500"
            if fault == "lost_500":
                return Reply(500, {"detail": "Internal Server Error"})
            if fault == "lost_drop":
                return Reply(200, drop=True)
            if fault == "lost_slow":
                return Reply(200, answer, hold=self.config.slow_answer)
            return Reply(200, answer)

    def _poll_base(self, base: str) -> str:
        if not self.config.poll_host:
            return base
        return base.replace("127.0.0.1", self.config.poll_host, 1)

    def _outcome(self, prompt: str) -> str:
        if any(w in prompt.lower() for w in MODERATED_WORDS):
            return "Request Moderated"
        fault = self.take("task_error", "content_moderated")
        if fault == "task_error" or self.rng.random() < self.config.fail_rate:
            return "Error"
        if fault == "content_moderated" or self.rng.random() < self.config.moderate_rate:
            return "Content Moderated"
        return "Ready"

    def result(self, task_id: str, base: str) -> Reply:
        with self.lock:
            fault = self.take("poll_error", "forget_task")
            if fault == "poll_error" or self.rng.random() < self.config.fail_rate / 2:
                return Reply(503, {"detail": "Service Unavailable"})
            now = self.clock()
            task = self.tasks.get(task_id)
            if task is not None and fault == "forget_task":
                task.forgotten = True
            if task is not None and now - task.created_at > self.config.task_ttl:
                task = None
            status = task.status(now) if task else "Task not found"
            if status == "Task not found":
                code = 404 if self.config.not_found_404 else 200
                return Reply(code, {"id": task_id, "status": status, "result": None})
            assert task is not None
            out: dict = {"id": task_id, "status": status, "result": None, "details": None}
            if status == "Pending" and self.config.generating:
                if now - task.created_at > (task.ready_at - task.created_at) / 2:
                    out["status"] = self.config.generating
            if status == "Pending":
                out["progress"] = round(
                    min(0.99, (now - task.created_at) / max(1e-6, task.ready_at - task.created_at)),
                    3,
                )
            elif status == "Ready":
                ext = "png" if task.fmt == "png" else "jpg"
                out["result"] = {
                    "sample": f"{base}/results/{task_id}.{ext}",
                    "prompt": task.body.get("prompt"),
                    "seed": task.body.get("seed"),
                    "start_time": task.created_at,
                    "end_time": task.ready_at,
                    "duration": task.ready_at - task.created_at,
                }
                out["progress"] = 1.0
            else:
                out["details"] = {"reason": f"simulated {status.lower()}"}
            return Reply(200, out)

    def sample(self, task_id: str) -> tuple[int, SimTask | None]:
        """(200, task) for a sample URL still valid; (403, None) once it expired."""
        with self.lock:
            task = self.tasks.get(task_id)
            now = self.clock()
            if task is None or task.status(now) != "Ready":
                return 404, None
            if self.take("expire_url") or now - task.ready_at > self.config.url_ttl:
                return 403, None
            return 200, task

    def listing(self) -> list[dict]:
        with self.lock:
            now = self.clock()
            return [
                {
                    "id": t.id,
                    "kind": t.model,
                    "created_at": t.created_at,
                    "status": t.status(now),
                    "cost": t.cost,
                    "prompt": t.body.get("prompt"),
                    "size": list(t.size),
                }
                for t in self.tasks.values()
            ]


def _size(model: Model, body: dict) -> tuple[int, int]:
    if model.sized:
        return int(body.get("width") or 1024), int(
            body.get("height") or (768 if model.family != "flux2" else 1024)
        )
    aspect = str(body.get("aspect_ratio") or ("16:9" if model.family == ULTRA else "1:1"))
    return size_for(model, aspect, (10_000, 10_000))
