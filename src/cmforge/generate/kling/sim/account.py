"""The simulator's account views: ``GET /account/costs`` (a video and an image resource pack,
optionally lagging) and ``GET /_sim/tasks`` (every task created, so tests can count what was
paid). Functions of the state (state.py), which holds the lock."""

from __future__ import annotations

from typing import Any

from ..task import IMAGES
from .model import Reply

SimState = Any  # state.SimState (not imported: state.py imports this module)


def costs(state: SimState, start: object, end: object) -> Reply:
    try:
        int(str(start)), int(str(end))
    except ValueError:
        return Reply(400, 1201, "start_time and end_time (Unix ms) are required")
    with state.lock:
        now = state.clock()
        if now - state._last_costs < state.config.costs_interval:
            return Reply(429, 1302, "account costs may be queried about once a second")
        state._last_costs = now
        state.settle(now)
        expires = state.config.pack_expires_at or now + 30 * 86400
        packs = [
            _pack(name, total, _seen(state, now, images), expires, now)
            for name, total, images in (
                ("Video Generation - simulator pack", state.config.pack_units, False),
                ("Image Generation - simulator pack", state.config.image_pack_units, True),
            )
            if total > 0
        ]
        return Reply(200, data={"code": 0, "msg": "", "resource_pack_subscribe_infos": packs})


def _seen(state: SimState, now: float, images: bool) -> float:
    """Units charged, as /account/costs reports them (lagging by ``costs_lag``)."""
    return sum(
        t.units
        for t in state.tasks.values()
        if t.charged_at is not None
        and t.charged_at <= now - state.config.costs_lag
        and (t.family == IMAGES) == images
    )


def created(state: SimState) -> list[dict]:
    """Every task stored, oldest first (``GET /_sim/tasks``): id, kind (the family),
    created_at (Unix ms), external_task_id, status now."""
    with state.lock:
        now = state.clock()
        return [
            {
                "id": t.task_id,
                "kind": "image" if t.family == IMAGES else t.family,
                "created_at": int(t.created * 1000),
                "external_task_id": t.facts.external_task_id,
                "status": t.phase(now)[0],
            }
            for t in sorted(state.tasks.values(), key=lambda t: t.created)
        ]


def _pack(name: str, total: float, seen: float, expires: float, now: float) -> dict:
    return {
        "resource_pack_name": name,
        "resource_pack_id": "sim-" + name.split()[0].lower(),
        "resource_pack_type": "decreasing_total",
        "total_quantity": total,
        "remaining_quantity": max(0.0, total - seen),
        "purchase_time": 0,
        "effective_time": 0,
        "invalid_time": int(expires * 1000),
        "status": "online" if seen < total and now < expires else "runOut",
    }
