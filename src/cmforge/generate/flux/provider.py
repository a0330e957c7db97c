"""The `flux` provider: a still made by the BFL FLUX API, never paid for twice on its own.

Per still (one job and take) the provider holds a file lock, reads the journal, and then:

- the still is already at ``job.dest`` and decodes: reused, no request;
- the journal has a task id: its ``polling_url`` is polled again and the still downloaded;
- the last create's answer was lost (an ``intent`` or ``lost`` with no id: a crash while it
  was in flight, a timeout, a 5xx): FluxLostAnswer, saying what may have been charged and
  what the balance did; the create is repeated only with ``retry_lost`` (``--retry-lost``);
- the last task was moderated: the same refusal again, without asking (``retry_lost`` asks);
- the last task failed (Error) or its create was refused: a new attempt;
- the still was made but its 10-minute download link expired before it was saved:
  FluxResultExpired, made again only with ``retry_lost``.

Every task holds a slot of the account's gate (gate.py) from before its create until it ends.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from ... import atomic
from ...errors import GenerationError
from ..base import GenerationJob, GenerationResult
from ..prices import FLUX_CREDITS, Cost, flux_cost, usd
from .errors import (
    FluxError,
    FluxLostAnswer,
    FluxModerated,
    FluxRequestError,
    FluxResultExpired,
    FluxServerError,
    FluxTaskFailed,
)
from .files import output_format, save, usable
from .gate import Gate, at_once_from_env, gate_for
from .journal import Attempt, Journal
from .messages import expired_error, lost_error, result_of
from .models import check, model_of, request_body, size_for
from .plugin import Flux, has_key
from .poll import PollPolicy, wait_until_ended

if TYPE_CHECKING:
    from .client import FluxClient

Say = Callable[[str], None]
RETRY_LOST_ENV = "CMFORGE_RETRY_LOST"  # set by --retry-lost on render and generate
# the statuses a task ends in; any other (Pending, and newer ones such as Reasoning or
# Generating) counts as still running


class FluxProvider(Flux):
    """The registered still maker. Opened (`open`), it holds a client for one key, the
    recipe's journal and the account's gate. Importing this module loads no HTTP stack."""

    def __init__(
        self,
        client: FluxClient,
        journal: Journal,
        *,
        retry_lost: bool = False,
        poll: PollPolicy | None = None,
        gate: Gate | None = None,
        lock_timeout: float = 3600.0,
        rng: random.Random | None = None,
    ):
        self.client = client
        self.journal = journal
        self.retry_lost = retry_lost
        self.poll = poll or PollPolicy()
        self.gate = gate or gate_for(client.base_url, client.key)
        self.lock_timeout = lock_timeout
        self.rng = rng or random.Random()

    @classmethod
    def open(cls, recipe_folder: Path, env: Mapping[str, str]) -> FluxProvider:
        from .client import FluxClient

        if not has_key(env):
            raise GenerationError(f"flux cannot run here: {cls.available(env)[1]}")
        scale = env.get("CMFORGE_FLUX_POLL_SCALE")  # e.g. 0.1 against a fast simulator
        return cls(
            FluxClient.from_env(env),
            Journal.for_recipe(recipe_folder),
            retry_lost=env.get(RETRY_LOST_ENV, "") not in ("", "0"),
            poll=PollPolicy(scale=float(scale)) if scale else None,
        )

    def at_once(self) -> int:
        return at_once_from_env()

    # ----- what it costs -------------------------------------------------------------------

    def plan_of(self, job: GenerationJob) -> tuple[str, tuple[int, int], Cost]:
        """The model, the pixel size asked for and the cost of one take."""
        model = str(self.settings(job.generate.options)["model"])
        spec = model_of(model)
        aspect = job.generate.aspect_ratio or "9:16"
        size = size_for(spec, aspect, job.size) if spec else job.size
        return model, size, flux_cost(model, *size)

    def estimate(self, job: GenerationJob) -> dict:
        model, (w, h), cost = self.plan_of(job)
        settings = self.settings(job.generate.options)
        return {
            "provider": self.name,
            **cost.fields(),
            "what": f"FLUX {model} still {w}x{h} ({job.generate.aspect_ratio})",
            "problems": check(model, settings, job.generate.aspect_ratio or "9:16", job.scene_key),
        }

    # ----- making it ---------------------------------------------------------------------

    def generate(self, job: GenerationJob, on_status: Say, take: int = 1) -> GenerationResult:
        key = f"{job.fingerprint[:32]}-t{take}"
        try:
            with self.journal.lock(key, self.lock_timeout, on_status):
                return self._generate(job, take, key, on_status)
        except FluxError as exc:
            raise exc.for_still(job.scene_key) from None
        except GenerationError as exc:  # the lock wait ran out
            raise GenerationError(f"{job.scene_key}: {exc}") from None

    def _generate(self, job: GenerationJob, take: int, key: str, say: Say) -> GenerationResult:
        attempts = self.journal.for_job(key)
        last = attempts[-1] if attempts else None
        if usable(job.dest):
            say("flux: the still is already here; nothing to make")
            return self._result(job, take, last if _made_here(last, job) else None, {})
        if last is None:
            return self._create(job, take, key, 1, say)
        again = last.attempt + 1
        if last.state in ("intent", "lost"):
            if not self.retry_lost:
                raise self._lost(last, job)
            say("flux: --retry-lost: asking FLUX again for the still whose answer was lost")
            return self._create(job, take, key, again, say)
        if last.state == "failed" and "Moderated" in last.status and not self.retry_lost:
            raise FluxModerated(
                f"FLUX's moderation refused this still before ({last.status}: "
                f"{last.reason or 'no details'}); cmforge does not ask again with the same prompt",
                hint="change the prompt, or run again with --retry-lost to ask once more",
            )
        if last.state == "failed":
            say(f"flux: the last try did not give a still ({last.reason}); trying again")
            return self._create(job, take, key, again, say)
        if last.state == "expired":
            if not self.retry_lost:
                raise self._expired(last, job)
            say(f"flux: --retry-lost: making the expired still of task {last.task_id} again")
            return self._create(job, take, key, again, say)
        say(f"flux: resuming task {last.task_id} from the journal")
        with self.gate.slot(say):
            return self._finish(job, take, last, say, created_now=False)

    def _create(
        self, job: GenerationJob, take: int, key: str, attempt: int, say: Say
    ) -> GenerationResult:
        settings = self.settings(job.generate.options)
        model, size, cost = self.plan_of(job)
        aspect = job.generate.aspect_ratio or "9:16"
        problems = check(model, settings, aspect, job.scene_key)
        if problems:  # what FLUX would refuse with 422: nothing sent, nothing spent
            raise FluxRequestError(
                "FLUX would refuse this still: " + "; ".join(problems),
                hint="see docs/providers.md, FLUX",
            )
        fmt = output_format(job.dest)
        if settings.get("seed") is not None and take > 1:  # takes differ, each repeatable
            settings = {**settings, "seed": int(settings["seed"]) + take - 1}
        spec = model_of(model)
        assert spec is not None  # check() refused an unknown model
        body = request_body(spec, job.generate.prompt, aspect, size, settings, fmt)
        ref = f"{key}-a{attempt}"
        with self.gate.slot(say):
            before = self._balance()
            self.journal.append(
                "intent",
                ref,
                key=key,
                still=job.scene_key,
                attempt=attempt,
                model=model,
                request=body,
                credits_before=before,
            )
            if job.generate.negative_prompt:
                say("flux: FLUX takes no negative prompt; negative_prompt is not sent")
            say(f"flux: asking {model} for a {size[0]}x{size[1]} still ({cost.text()})")
            try:
                created = self.client.create(
                    model,
                    body,
                    say,
                    when_busy=lambda e: self.gate.wait_for_room(say, e.retry_after),
                )
            except FluxLostAnswer as exc:
                self.journal.append("lost", ref, reason=exc.why or exc.message)
                rec = replace(self._record(ref), state="lost")
                raise self._lost(rec, job) from None
            except FluxError as exc:  # refused: nothing was created
                status = "Request Moderated" if isinstance(exc, FluxModerated) else "refused"
                self.journal.append("failed", ref, reason=exc.message, status=status)
                raise
            self.journal.append(
                "created",
                ref,
                task_id=created.id,
                polling_url=created.polling_url,
                cost=created.cost if created.cost is not None else cost.amount,
            )
            return self._finish(job, take, self._record(ref), say, created_now=True)

    def _finish(
        self, job: GenerationJob, take: int, rec: Attempt, say: Say, created_now: bool
    ) -> GenerationResult:
        data = wait_until_ended(self.client, rec, self.poll, self.rng, say)
        status = str(data.get("status"))
        details = str(data.get("details") or "")
        if status == "Ready":
            return self._download(job, take, rec, data, say, created_now)
        if "Moderated" in status:
            self.journal.append("failed", rec.ref, reason=details or status, status=status)
            what = "the prompt" if status.startswith("Request") else "the image it made"
            raise FluxModerated(
                f"FLUX's moderation refused {what} (task {rec.task_id}, {status}"
                + (f": {details}" if details else "")
                + f"). The task may have been charged ({self._cost_text(rec)})"
            )
        if status == "Task not found":
            self.journal.append("expired", rec.ref, reason="FLUX no longer knows the task")
            raise self._expired(rec, job)
        self.journal.append("failed", rec.ref, reason=details or status, status=status)
        raise FluxTaskFailed(
            f"FLUX could not make the still (task {rec.task_id}: {status}"
            + (f", {details}" if details else "")
            + "); running again makes a new try",
        )

    def _download(
        self, job: GenerationJob, take: int, rec: Attempt, data: dict, say: Say, created_now: bool
    ) -> GenerationResult:
        url = str((data.get("result") or {}).get("sample") or "")
        if not url:
            raise FluxServerError(f"task {rec.task_id} is Ready without a sample URL")
        self.journal.append("ready", rec.ref, url=url)
        say(f"flux: task {rec.task_id} done; downloading")
        job.dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = atomic.temporary(job.dest)
        try:
            try:
                self.client.fetch(url, tmp, say)
            except FluxResultExpired:
                fresh = self.client.result(rec.polling_url, say)  # a server may sign anew
                again = str((fresh.get("result") or {}).get("sample") or "")
                if fresh.get("status") != "Ready" or not again or again == url:
                    self.journal.append("expired", rec.ref, reason="the download link expired")
                    raise self._expired(rec, job) from None
                self.client.fetch(again, tmp, say)
            size = save(tmp, job.dest)
        finally:
            tmp.unlink(missing_ok=True)
        self.journal.append("downloaded", rec.ref, path=str(job.dest))
        return self._result(
            job, take, rec, {"size": list(size), "created_now": created_now, "sample_url": url}
        )

    # ----- what it says ------------------------------------------------------------------

    def _record(self, ref: str) -> Attempt:
        return self.journal.attempts()[ref]

    def _balance(self) -> float | None:
        try:
            return self.client.credits()
        except FluxError:
            return None

    def _cost_text(self, rec: Attempt) -> str:
        if rec.cost is not None:
            return Cost(rec.cost, FLUX_CREDITS, usd(rec.cost, FLUX_CREDITS)).text()
        return "cost unknown"

    def _lost(self, rec: Attempt, job: GenerationJob) -> FluxLostAnswer:
        model, _size, cost = self.plan_of(job)
        return lost_error(rec, model, cost, self._balance(), self.journal.path)

    def _expired(self, rec: Attempt, job: GenerationJob) -> FluxResultExpired:
        return expired_error(rec, self.plan_of(job)[2], job.dest)

    def _result(
        self, job: GenerationJob, take: int, rec: Attempt | None, details: dict
    ) -> GenerationResult:
        return result_of(job, take, rec, details, self.plan_of(job)[2].amount)


def _made_here(rec: Attempt | None, job: GenerationJob) -> bool:
    return bool(rec and rec.state == "downloaded" and rec.path == str(job.dest))
