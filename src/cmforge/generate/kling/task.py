"""The task object (section 3) and resource pack (section 4.7), parsed into frozen records."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

TEXT2VIDEO = "text2video"
IMAGE2VIDEO = "image2video"
IMAGES = "images"  # image generation (image-apis.md section 6)
FAMILIES = (TEXT2VIDEO, IMAGE2VIDEO, IMAGES)
PATHS = {
    TEXT2VIDEO: "/v1/videos/text2video",
    IMAGE2VIDEO: "/v1/videos/image2video",
    IMAGES: "/v1/images/generations",
}

SUBMITTED, PROCESSING, SUCCEED, FAILED = "submitted", "processing", "succeed", "failed"
TERMINAL = (SUCCEED, FAILED)


@dataclass(frozen=True)
class Video:
    id: str
    url: str
    duration: float  # the API sends a decimal string such as "5" or "5.1"


@dataclass(frozen=True)
class Task:
    task_id: str
    status: str
    family: str
    status_msg: str = ""
    external_task_id: str = ""
    created_at: int = 0  # Unix milliseconds
    updated_at: int = 0
    videos: tuple[Video, ...] = ()  # an image task's images too (index as id, no duration)
    units: float | None = None  # final_unit_deduction, when the server reports it
    request_id: str = ""
    raw: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def done(self) -> bool:
        return self.status in TERMINAL

    @property
    def succeeded(self) -> bool:
        return self.status == SUCCEED

    @property
    def failed(self) -> bool:
        return self.status == FAILED


def _decimal(value: object) -> float | None:
    if value is None or value == "":
        return None
    try:
        return float(Decimal(str(value)))
    except (InvalidOperation, ValueError):
        return None


def parse_task(data: dict, family: str, request_id: str = "") -> Task:
    """A task object from a response's ``data``; unknown fields are kept in ``raw``."""
    result = data.get("task_result") or {}
    videos = tuple(
        Video(str(v.get("id", "")), str(v.get("url", "")), _decimal(v.get("duration")) or 0.0)
        for v in (result.get("videos") or [])
        if isinstance(v, dict)
    ) + tuple(
        Video(str(v.get("index", "")), str(v.get("url", "")), 0.0)
        for v in (result.get("images") or [])
        if isinstance(v, dict)
    )
    info = data.get("task_info") or {}
    return Task(
        task_id=str(data.get("task_id", "")),
        status=str(data.get("task_status", "")),
        family=family,
        status_msg=str(data.get("task_status_msg") or ""),
        external_task_id=str(info.get("external_task_id") or ""),
        created_at=int(data.get("created_at") or 0),
        updated_at=int(data.get("updated_at") or 0),
        videos=videos,
        units=_decimal(data.get("final_unit_deduction")),
        request_id=request_id,
        raw=data,
    )


@dataclass(frozen=True)
class ResourcePack:
    """One entry of /account/costs (section 4.7); remaining may lag usage by up to 12 h."""

    name: str
    id: str
    type: str
    status: str
    total: float
    remaining: float
    invalid_time: int  # Unix ms

    @classmethod
    def parse(cls, d: dict) -> ResourcePack:
        return cls(
            str(d.get("resource_pack_name", "")),
            str(d.get("resource_pack_id", "")),
            str(d.get("resource_pack_type", "")),
            str(d.get("status", "")),
            float(d.get("total_quantity") or 0),
            float(d.get("remaining_quantity") or 0),
            int(d.get("invalid_time") or 0),
        )
