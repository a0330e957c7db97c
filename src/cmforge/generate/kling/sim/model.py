"""The simulator's records: its configuration, a reply, a stored task, the fault names."""

from __future__ import annotations

from dataclasses import dataclass, field

from .checks import CreateFacts

REQUEST_FAULTS = {
    "rate_limit": (429, 1302, "request rate above platform limit"),
    "concurrency": (429, 1303, "parallel task over resource pack limit"),
    "server_error": (500, 5000, "internal server error"),
    "unavailable": (503, 5001, "service temporarily unavailable"),
    "timeout": (504, 5002, "internal timeout"),
    "balance": (429, 1102, "resource pack exhausted"),
    "expired_token": (401, 1004, "token expired"),
}
CREATE_FAULTS = ("drop_after_create", "timeout_after_create")
TASK_FAULTS = ("task_fail", "moderation_fail", "slow_queue", "expire_url")
OTHER_FAULTS = ("drop", "truncate_result")
FAULTS = (*REQUEST_FAULTS, *CREATE_FAULTS, *TASK_FAULTS, *OTHER_FAULTS)
LOOKUPS = ("both", "path", "query", "none")
DUPLICATES = ("refuse", "accept")
MODERATION_MSG = "Failure to pass the risk control system: the content may violate policy"


@dataclass
class SimConfig:
    latency: float = 60.0  # seconds from create to succeed for a std 5 s clip
    factors: dict[str, float] = field(default_factory=lambda: {"pro": 1.5, "10s": 1.5})
    queue_share: float = 0.2  # part of the time spent "submitted"
    slow_queue: float = 10.0  # the slow-queue scenario waits this many latencies in the queue
    concurrency: int = 5  # parallel tasks per account (an older basic pack's cap)
    pack_units: float = 1000.0
    image_pack_units: float = 10000.0  # a separate image pack (0: a video-only account)
    image_concurrency: int = 9  # images at once per image pack [doc]
    image_latency: float | None = None  # seconds per image task; None: a quarter of latency
    pack_expires_at: float | None = None  # Unix seconds; None: valid for the run
    url_ttl: float = 30 * 86400.0  # result URLs stop working after this
    banned_words: tuple[str, ...] = ("forbidden",)  # create refused, 400/1301
    fail_words: tuple[str, ...] = ("risky",)  # task accepted, then fails moderation
    flagged_images: tuple[str, ...] = ()  # sha256 of image files refused with 400/1301
    fail_rate: float = 0.0  # chance of a transient fault (1302/5000/5002) per API request
    task_fail_rate: float = 0.0  # chance that an accepted task ends failed
    strict: bool = False  # refuse unknown fields and integer durations
    unknown_model_code: int = 1203
    costs_interval: float = 1.0  # /account/costs: about one request per second
    costs_lag: float = 0.0  # remaining_quantity ignores charges younger than this
    # which lookups by external_task_id answer (section 4.5 [?]): "both", "path" (the id as
    # the path segment; ?external_task_id= is ignored and the tasks are listed) or "query"
    # (?external_task_id= only; a path segment is read as a task_id) or "none" (neither)
    external_lookup: str = "both"
    # a create whose external_task_id is already taken: "refuse" (400/1201 [?]) or "accept"
    # (a second task, charged again: what a careless client pays on a server that allows it)
    duplicate_external: str = "refuse"


@dataclass(frozen=True)
class Reply:
    http: int
    code: int = 0
    message: str = "SUCCEED"
    data: object = None
    drop: bool = False  # close the connection without any response


@dataclass
class SimTask:
    task_id: str
    family: str
    facts: CreateFacts
    created: float
    queue_s: float
    run_s: float
    outcome: str  # succeed | failed
    fail_msg: str = ""
    video_id: str = ""
    url_expires: float = 0.0
    units: float = 0.0
    charged_at: float | None = None
    url_ttl: float | None = None  # overrides the config (the expire_url fault sets 0)

    @property
    def end(self) -> float:
        return self.created + self.queue_s + self.run_s

    def phase(self, now: float) -> tuple[str, float]:
        if now < self.created + self.queue_s:
            return "submitted", self.created
        if now < self.end:
            return "processing", self.created + self.queue_s
        return self.outcome, self.end

    def to_json(self, now: float, base_url: str, full: bool = True) -> dict:
        status, updated = self.phase(now)
        d: dict = {
            "task_id": self.task_id,
            "task_status": status,
            "task_info": {"external_task_id": self.facts.external_task_id},
            "created_at": int(self.created * 1000),
            "updated_at": int(updated * 1000),
        }
        if full:
            d["task_status_msg"] = self.fail_msg if status == "failed" else ""
        if full and status == "succeed" and self.family == "images":
            images = [
                {"index": i, "url": f"{base_url}/results/{self.video_id}-{i}.png"}
                for i in range(self.facts.n)
            ]
            d["task_result"] = {"images": images}
            d["final_unit_deduction"] = f"{self.units:g}"
        elif full and status == "succeed":
            url = f"{base_url}/results/{self.video_id}.mp4"
            video = {"id": self.video_id, "url": url, "duration": str(self.facts.length)}
            d["task_result"] = {"videos": [video]}
            d["final_unit_deduction"] = f"{self.units:g}"
        return d
