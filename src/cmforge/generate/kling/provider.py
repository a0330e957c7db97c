"""The ``kling`` provider: a scene's clip made by the Kling API, never paid for twice.

Per clip (one job and take) the provider holds a file lock, reads the journal, and then:

- the clip is already at ``job.dest`` and decodes: it is reused, with no HTTP request;
- the journal has an attempt in flight: the task is queried (by task_id, or by
  external_task_id when the create's answer was lost) and polling / download resumes;
  a new task is created only when the server confirms it has none with that id;
- the last attempt failed at Kling (not charged): the rerun makes the next attempt;
- the last attempt's result URL expired: a KlingResultExpired error, unless the caller
  allowed paying again (``regenerate_expired``); never silently.

Every task holds a slot of the account's gate (gate.py) from before its create until its
clip is downloaded, so takes and scenes generated at once stay within what Kling allows.
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from ...errors import GenerationError
from ...media.probe import ProbeError, probe
from ..base import ASPECTS, GenerationJob, GenerationResult
from .download import download_clip, remove_partials
from .errors import (
    KlingError,
    KlingNotFound,
    KlingResultExpired,
    KlingServerError,
    KlingStillRunning,
    KlingTaskFailed,
)
from .gate import Gate, Slot, at_once_from_env, gate_for
from .journal import Journal, TaskRecord
from .plugin import Kling, KlingSettings, has_credentials
from .prices import Price, PriceTable
from .request import VideoRequest, build_request, check_generate, external_task_id
from .retry import PollPolicy
from .task import IMAGE2VIDEO, TEXT2VIDEO, Task

if TYPE_CHECKING:
    from .client import KlingClient

Say = Callable[[str], None]
MODERATION_WORDS = ("moderation", "risk", "safety", "policy", "sensitive", "violat")


class KlingProvider(Kling):
    """The registered provider. Opened (`open`), it holds a client for one account, the
    recipe's journal and the prices. Importing this module loads no HTTP stack."""

    def __init__(
        self,
        client: KlingClient,
        journal: Journal,
        *,
        prices: PriceTable | None = None,
        poll: PollPolicy | None = None,
        regenerate_expired: bool = False,
        lock_timeout: float = 3600.0,
        rng: random.Random | None = None,
        gate: Gate | None = None,
    ):
        self.client = client
        self.journal = journal
        self.prices = prices or PriceTable()
        self.poll = poll or PollPolicy()
        self.regenerate_expired = regenerate_expired
        self.lock_timeout = lock_timeout
        self.rng = rng or random.Random()
        self.gate = gate or gate_for(client.base_url, client.minter.access_key)

    # ----- the Provider interface --------------------------------------------------------

    @classmethod
    def open(cls, recipe_folder: Path, env: Mapping[str, str]) -> KlingProvider:
        provider = provider_from_env(recipe_folder, env)
        if provider is None:
            raise GenerationError(f"kling cannot run here: {cls.available(env)[1]}")
        return provider

    def at_once(self) -> int:
        """Tasks wait in the account's gate inside generate (it learns Kling's cap), so as many
        as the gate starts with are worth starting."""
        return at_once_from_env()

    def estimate(self, job: GenerationJob, takes: int = 1) -> dict:
        """Units and approximate money for ``takes`` clips of this job; no network."""
        gen = job.generate
        s = KlingSettings.of(gen)
        price = self.price(job)
        family = IMAGE2VIDEO if (gen.image or gen.image_tail) else TEXT2VIDEO
        return {
            "provider": self.name,
            # credits (Kling API units), unit, money (USD), equivalent (web-app credits), ...
            **price.fields(takes),
            "units_per_take": price.units,
            "takes": takes,
            "what": f"{family} {s.model} {s.mode} {gen.length} s" + _shape(job),
            "problems": check_generate(gen),
        }

    def generate(
        self, job: GenerationJob, on_status: Callable[[str], None], take: int = 1
    ) -> GenerationResult:
        """Make take ``take`` of the job's clip at ``job.dest`` (see the module docstring)."""
        key = external_task_id(job.fingerprint, take)
        try:
            with self.journal.lock(key, self.lock_timeout, on_status):
                return self._generate(job, take, key, on_status)
        except KlingError as exc:
            raise exc.for_scene(job.scene_key) from None
        except GenerationError as exc:  # the lock wait ran out
            raise GenerationError(f"{job.scene_key}: {exc}") from None

    def price(self, job: GenerationJob) -> Price:
        s = KlingSettings.of(job.generate)
        return self.prices.price(s.model, s.mode, job.generate.length)

    # ----- one clip, under its lock ------------------------------------------------------

    def _generate(self, job: GenerationJob, take: int, key: str, say: Say) -> GenerationResult:
        attempts = self.journal.for_job(key) or self._earlier_attempts(job, take, say)
        last = attempts[-1] if attempts else None
        remove_partials(job.dest)
        if self._have(job):
            say(f"kling: the {self.noun} is already here; nothing to generate")
            return self._result(job, take, last, None, reused=True)
        if last is None:
            return self._create(job, take, key, 1, say)
        if last.state == "failed":
            say(
                f"kling: the last try failed at Kling ({last.reason or 'no reason'}; not charged);"
                " trying again"
            )
            return self._create(job, take, key, last.attempt + 1, say)
        if last.state == "expired":
            if not self.regenerate_expired:
                raise self._expired(last, job)
            say(f"kling: regenerating the expired {self.noun} of task {last.task_id} (paid again)")
            return self._create(job, take, key, last.attempt + 1, say)
        family = last.family or self._family_of(job)
        if last.task_id:
            try:
                task = self.client.get_task(family, last.task_id, say)
            except KlingNotFound as exc:
                raise exc.with_hint(
                    f"the journal ({self.journal.path}) names task {last.task_id}, which this "
                    "account does not know: were the keys or KLING_API_BASE changed?"
                ) from None
        else:
            since = int(last.intended * 1000) or None
            task = self.client.find_task(family, last.external_task_id, say, since)
            if task is None:
                say("kling: Kling has no task from the interrupted run; creating it now")
                return self._create(job, take, key, last.attempt, say, journaled=last.key == key)
            self.journal.created(last.external_task_id, task.task_id)
        say(f"kling: resuming task {task.task_id} ({task.status})")
        slot = self.gate.slot(say, running=True) if not task.done else Slot(None)
        with slot:
            return self._finish(
                job, take, last.external_task_id, last.attempt, task, say, False, slot, last.request
            )

    def _earlier_attempts(self, job: GenerationJob, take: int, say: Say) -> list[TaskRecord]:
        """A task journalled under a fingerprint an earlier version gave this clip, still in
        flight or made (not failed, not expired): it is picked up instead of paying again."""
        for old in job.earlier:
            attempts = self.journal.for_job(external_task_id(old, take))
            if attempts and attempts[-1].state not in ("failed", "expired"):
                say(f"kling: picking up task {attempts[-1].external_task_id} of an earlier run")
                return attempts
        return []

    def _create(
        self,
        job: GenerationJob,
        take: int,
        key: str,
        attempt: int,
        say: Say,
        journaled: bool = False,
    ) -> GenerationResult:
        ext = external_task_id(job.fingerprint, take, attempt)
        req = self._request(job, ext)  # refuses before any spending
        for note in req.notes:
            say(f"kling: {note}")
        if not journaled:
            self.journal.intent(
                ext,
                key=key,
                scene=job.scene_key,
                family=req.family,
                attempt=attempt,
                request=req.redacted(),
            )
        price = self.price(job)
        with self.gate.slot(say) as slot:
            cost = price.cost.text() if price.cost else f"{price.units:g} units"
            say(f"kling: creating {req.family} task ({cost})")
            task = self.client.create(
                req.family, req.body, say, when_full=lambda _exc: slot.refused(say)
            )
            slot.start()
            self.journal.created(ext, task.task_id)
            return self._finish(job, take, ext, attempt, task, say, True, slot, req.redacted())

    def _finish(
        self,
        job: GenerationJob,
        take: int,
        ext: str,
        attempt: int,
        task: Task,
        say: Say,
        created_now: bool,
        slot: Slot,
        sent: dict,
    ) -> GenerationResult:
        task = self._wait(task, say)
        slot.end(task.succeeded, say)
        if task.failed:
            reason = task.status_msg or "no reason given"
            self.journal.failed(ext, reason, task.task_id)
            err = KlingTaskFailed(
                f"Kling could not make the {self.noun} (task {task.task_id}): {reason}. "
                "Failed tasks are not charged; running again makes a new try"
            )
            if any(w in reason.lower() for w in MODERATION_WORDS):
                err.with_hint("the content check refused it: change the prompt or the image")
            raise err
        if not task.videos or not task.videos[0].url:
            raise KlingServerError(f"task {task.task_id} succeeded without a result URL")
        self.journal.succeeded(ext, task.task_id, task.videos[0].url, task.units)
        say(f"kling: task {task.task_id} done; downloading")
        try:
            details = self._fetch(job, task, say)
        except KlingResultExpired:
            self.journal.expired(ext, "the result URL no longer serves the file")
            rec = TaskRecord(ext, task_id=task.task_id, units=task.units, attempt=attempt)
            raise self._expired(rec, job) from None
        self.journal.downloaded(ext, job.dest)
        rec = TaskRecord(ext, task_id=task.task_id, units=task.units, attempt=attempt, request=sent)
        return self._result(job, take, rec, {**details, "created_now": created_now})

    # ----- what differs between a clip and a still (still.py overrides these) ------------

    noun = "clip"

    def _request(self, job: GenerationJob, ext: str) -> VideoRequest:
        return build_request(job.generate, _aspect(job), ext)

    def _family_of(self, job: GenerationJob) -> str:
        return _family(job)

    def _have(self, job: GenerationJob) -> bool:
        return _usable(job)

    def _fetch(self, job: GenerationJob, task: Task, say: Say) -> dict:
        """Download and verify the result at job.dest; what the manifest records of it."""
        video = task.videos[0]
        info = download_clip(self.client, video.url, job.dest, job.generate.length, say)
        return {"video_id": video.id, "duration": info.duration, "size": [info.width, info.height]}

    def _money(self, units: float) -> float:
        return round(units * self.prices.unit_price, 2)

    def _wait(self, task: Task, say: Say) -> Task:
        """Poll until the task ends, with growing jittered waits; bounded by the timeout."""
        started = time.monotonic()
        polls, status = 0, task.status
        limit = int(self.poll.timeout / max(self.poll.interval, 1e-3)) + 10
        while not task.done:
            if time.monotonic() - started > self.poll.timeout or polls > limit:
                raise KlingStillRunning(
                    f"task {task.task_id} is still {task.status} after "
                    f"{time.monotonic() - started:.0f} s; it keeps running at Kling and the "
                    "next run picks it up (it is not paid for twice)"
                )
            self.client.sleep(self.poll.delay(polls, self.rng))
            polls += 1
            task = self.client.get_task(task.family, task.task_id, say)
            if task.status != status:
                status = task.status
                say(f"kling: task {task.task_id} {status}")
        return task

    def _expired(self, rec: TaskRecord, job: GenerationJob) -> KlingResultExpired:
        price = self.price(job)
        err = KlingResultExpired(
            f"the {self.noun} of task {rec.task_id} was generated (and paid for), but its "
            f"download link has expired and no saved copy is at {job.dest} (Kling deletes "
            f"results after 30 days; links may stop working sooner). A new {self.noun} costs "
            f"{price.cost.text() if price.cost else f'{price.units:g} units'} again; cmforge "
            "does not regenerate it on its own"
        )
        err.with_hint("allow regenerating expired clips (e.g. --regenerate-expired) to pay again")
        return err

    def _result(
        self,
        job: GenerationJob,
        take: int,
        rec: TaskRecord | None,
        details: dict | None,
        reused: bool = False,
    ) -> GenerationResult:
        price = self.price(job)
        units = rec.units if rec and rec.units is not None else price.units
        ext = rec.external_task_id if rec else ""
        facts = {
            "external_task_id": ext,
            "take": take,
            "attempt": rec.attempt if rec else 0,
            "units": units if rec else 0.0,
            "money_usd": self._money(units) if rec else 0.0,
            "reused": reused,
            "spent_now": units if (details or {}).get("created_now") else 0.0,
            **(details or {}),
        }
        if rec and rec.request:
            facts["sent"] = rec.request  # the body sent to Kling, images as size and hash
        request = {**job.request(), "external_task_id": ext, "take": take}
        return GenerationResult(
            job.dest,
            self.name,
            request,
            task_id=rec.task_id if rec else "",
            cost=units if rec else 0.0,
            details=facts,
            money_usd=facts["money_usd"],
        )


def _usable(job: GenerationJob) -> bool:
    if not job.dest.is_file():
        return False
    try:
        return probe(job.dest).kind == "video"
    except ProbeError:
        return False


def _aspect(job: GenerationJob) -> str:
    if job.generate.aspect_ratio:
        return job.generate.aspect_ratio
    for name, size in ASPECTS.items():
        if size == tuple(job.size):
            return name
    w, h = job.size
    return "9:16" if h > w * 1.2 else ("16:9" if w > h * 1.2 else "1:1")


def _shape(job: GenerationJob) -> str:
    """Which format a paid clip is for: image-to-video follows its image, so one clip serves
    every format; text-to-video is made in one shape, for the formats of that shape."""
    gen = job.generate
    if gen.image or gen.image_tail:
        first = gen.image or gen.image_tail
        return f" from {first.name}, one clip for all formats"
    if gen.aspect_ratio:
        return f" in {gen.aspect_ratio} (aspect in the recipe: one clip for all formats)"
    return f' in {_aspect(job)} for the {_aspect(job)} format (aspect = "9:16" shares one)'


def _family(job: GenerationJob) -> str:
    return IMAGE2VIDEO if (job.generate.image or job.generate.image_tail) else TEXT2VIDEO


def provider_from_env(
    recipe_folder: Path,
    env: Mapping[str, str] | None = None,
    *,
    regenerate_expired: bool = False,
    **client_options: object,
) -> KlingProvider | None:
    """The kling provider for a recipe, or None when the keys are not both set.

    Keys from KLING_ACCESS_KEY / KLING_SECRET_KEY, base URL from KLING_API_BASE (default:
    the global endpoint), journal in ``<recipe folder>/.cmforge/cache/kling-journal.jsonl``.
    """
    from .client import KlingClient

    if not has_credentials(env):
        return None
    env = os.environ if env is None else env
    client = KlingClient.from_env(env, **client_options)
    scale = env.get("CMFORGE_KLING_POLL_SCALE")  # e.g. 0.05 against a fast local simulator
    poll = PollPolicy().scaled(float(scale)) if scale else None
    return KlingProvider(
        client, Journal.for_recipe(recipe_folder), poll=poll, regenerate_expired=regenerate_expired
    )
