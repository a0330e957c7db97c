"""What a provider is, the registry of providers, and the records a generation passes around.

A provider is a `Provider` subclass registered by name (`register`; the providers cmforge ships
register in generate/__init__.py). The class describes the provider without opening anything:
what it makes, the recipe keys it owns and their defaults, its part of a job's fingerprint,
whether it can run here and why, and how its takes are labelled. `open()` gives the instance
that estimates the cost, gates how many run at once and generates.

This module names no provider and imports none: the registry is filled from outside.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from ..errors import GenerationError
from ..recipe.model import Generate
from ..recipe.spec import (
    GENERATE,
    GENERATE_SHARED,
    SCENE_STILL,
    STILL_ASKED,
    STILL_SHARED,
    STILLS,
    F,
    set_provider_keys,
)

CACHE_DIR = Path(".cmforge") / "cache"
ASPECTS = {"9:16": (720, 1280), "16:9": (1280, 720), "1:1": (960, 960)}
Say = Callable[[str], None]


@dataclass(frozen=True)
class GenerationJob:
    """One clip (or still) to make: the request, its fingerprint, where the result goes and
    which provider the contract chose for it."""

    scene_key: str
    generate: Generate
    fingerprint: str  # sha256 of everything that determines the result
    dest: Path
    size: tuple[int, int]  # what the provider should deliver (from aspect ratio)
    take: int = 1  # candidates of one request share the fingerprint, not the take
    provider: str = ""  # the registered provider that makes it ("": not chosen yet)
    why: str = ""  # why the contract chose that provider
    makes: str = "clip"  # clip | still: which registry `provider` is named in
    # the fingerprints earlier versions of cmforge gave the same request: a provider looks for
    # its tasks still in flight under them, so an upgrade never pays for a clip twice
    earlier: tuple[str, ...] = ()

    def request(self) -> dict:
        """Everything that determines the result, as the manifest records it."""
        return request_of(self.generate, self.provider, self.makes)

    def maker(self) -> type[Provider]:
        """The registered provider class the job was given to."""
        return provider_named(self.provider, self.makes)


@dataclass(frozen=True)
class GenerationResult:
    """A made clip and where it came from (the manifest and the takes sidecar record it)."""

    path: Path
    provider: str
    request: dict
    task_id: str = ""
    cost: float = 0.0  # in the provider's units (the unit of the credit budget)
    details: dict = field(default_factory=dict)
    money_usd: float = 0.0


class Provider:
    """A maker of clips or stills. Subclasses set the class attributes, override what differs,
    and are registered once; the pipeline, `plan` and the contact sheet use only this."""

    name: ClassVar[str] = ""  # the recipe's `provider = "..."`
    makes: ClassVar[str] = "clip"  # clip | still: what a job's file holds
    suffix: ClassVar[str] = ".mp4"  # of the file it makes
    priority: ClassVar[int] = 0  # the default choice: the available provider ranked highest
    fallback: ClassVar[bool] = False  # the offline stand-in when the one asked for cannot run
    options: ClassVar[dict[str, F]] = {}  # its own keys in the recipe's [generate] table
    defaults: ClassVar[dict[str, Any]] = {}  # their values when the recipe gives none
    # Fingerprints made before providers owned their options covered the keys of the
    # providers that existed then, whichever provider made the clip. Those providers set this,
    # so their options stay in every fingerprint and clips already cached (paid ones too) keep
    # their names. A new provider leaves it False: its name and options key its own jobs only.
    in_every_fingerprint: ClassVar[bool] = False

    # ----- the class: no I/O, nothing opened -----------------------------------------------

    @classmethod
    def available(cls, env: Mapping[str, str]) -> tuple[bool, str]:
        """Whether it can run here (credentials, ...), and why or why not, in a user's words."""
        return True, ""

    @classmethod
    def open(cls, recipe_folder: Path, env: Mapping[str, str]) -> Provider:
        """The instance that estimates and generates for a recipe in this folder."""
        return cls()

    @classmethod
    def settings(cls, options: Mapping[str, Any]) -> dict[str, Any]:
        """Its own keys' values for a [generate] table: the recipe's, else its defaults."""
        return {
            key: _typed(options.get(key, cls.defaults.get(key)), spec.kind)
            for key, spec in cls.options.items()
        }

    @classmethod
    def fingerprint_part(cls, options: Mapping[str, Any]) -> dict[str, Any]:
        """What of a [generate] table, beyond the shared keys, determines its result."""
        return cls.settings(options)

    @classmethod
    def fingerprint_request(cls, gen: Generate, aspect: str) -> dict[str, Any]:
        """Exactly what determines the result of `gen` made for a format of shape `aspect`,
        images by path (the fingerprint puts each image's bytes in their place).

        The default suits a provider that draws each format itself (the offline stand-in):
        the request as the manifest records it, plus the aspect ratio it is made in. A paid
        API makes what it is sent, so its provider returns what it sends: a clip the API makes
        the same for every format (image-to-video that follows its image) is then paid for
        once and fitted to each format."""
        if cls.makes == "still":
            return {**request_of(gen, cls.name, "still"), "makes": "still"}
        return {**request_of(gen, cls.name, cls.makes), "aspect_ratio": aspect}

    @classmethod
    def earlier_fingerprint_requests(cls, gen: Generate, aspect: str) -> list[dict[str, Any]]:
        """What earlier versions of cmforge fingerprinted for the same result (hashed the same
        way): their cached files are adopted when `provenance` says this provider made them,
        and their journalled tasks are picked up. None by default."""
        return []

    @classmethod
    def shown(cls, options: Mapping[str, Any]) -> dict[str, Any]:
        """The settings a contact sheet records for a take (unset ones left out)."""
        return {k: v for k, v in cls.settings(options).items() if v is not None}

    @classmethod
    def setting_lines(cls, settings: dict[str, Any]) -> list[str]:
        """The settings as the contact sheet writes them beside a take."""
        own = " · ".join(f"{k} {settings[k]}" for k in cls.options if k in settings)
        return [f"{settings.get('length')} s · {settings.get('aspect_ratio')}", own]

    @classmethod
    def take_label(cls, take: dict) -> tuple[str, str]:
        """Who made a take and what it cost, as the contact sheet writes them."""
        who = str(take.get("provider") or cls.name or "unknown")
        if take.get("task_id"):
            who += f" · task {take['task_id']}"
        cost = take.get("cost")
        if cost is None:
            return who, "cost unknown"
        usd = take.get("money_usd")
        if take.get("stand_in"):
            who += " · STAND-IN"
        unit = take.get("unit") or "units"
        return who, f"{cost:g} {unit}" + (f" = ${usd:.2f}" if usd else "")

    @classmethod
    def provenance(cls, job: GenerationJob, recipe_folder: Path) -> dict | None:
        """What it recorded about an earlier run's file at job.dest (provider, task_id, cost,
        request, details, made), or None when it has no record of it."""
        return None

    # ----- the instance ----------------------------------------------------------------

    def at_once(self) -> int:
        """How many of its jobs are worth running at the same time."""
        return 1

    def turn(self) -> AbstractContextManager:
        """Held around each generate call: waits while too many of its jobs run (a provider
        that gates its own tasks, as a paid API with an account-wide cap does, waits inside
        generate instead)."""
        return nullcontext()

    def estimate(self, job: GenerationJob) -> dict:
        """Cost and what will happen, without spending anything: provider, credits (the
        budget's unit), money, currency, what, and optionally problems."""
        raise NotImplementedError

    def generate(self, job: GenerationJob, on_status: Say, take: int = 1) -> GenerationResult:
        """Make take `take` at job.dest (atomically); say where it came from."""
        raise NotImplementedError


def _typed(value: Any, kind: str) -> Any:
    """A recipe value as its spec's kind reads it (numbers the same whatever TOML wrote)."""
    if value is None or isinstance(value, bool):
        return value
    if kind == "number" and isinstance(value, int | float):
        return float(value)
    if kind == "int" and isinstance(value, int | float):
        return int(value)
    return value


# ----- the registry ----------------------------------------------------------------------

# by what they make, then by name, in registration order: a clip maker and a still maker may
# share a name (a paid API that makes both registers one provider for each)
REGISTRY: dict[str, dict[str, type[Provider]]] = {"clip": {}, "still": {}}
PROVIDERS = REGISTRY["clip"]  # the clip makers by name
STILL_PROVIDERS = REGISTRY["still"]  # the still makers by name
# the recipe table each kind of output is asked for in, and the keys every provider shares there
TABLES: dict[str, tuple[F, dict[str, F]]] = {
    "clip": (GENERATE, GENERATE_SHARED),
    "still": (STILLS, STILL_SHARED),
}
# more tables that take the same providers' keys: an image scene's [scenes.generate] is a still
ALSO: dict[str, list[tuple[F, dict[str, F]]]] = {"still": [(SCENE_STILL, STILL_ASKED)]}


def register(provider: type[Provider]) -> type[Provider]:
    """Add a provider under its name; its keys become valid in its recipe table."""
    if not provider.name:
        raise ValueError(f"{provider.__name__} has no name")
    REGISTRY.setdefault(provider.makes, {})[provider.name] = provider
    _publish(provider.makes)
    return provider


def unregister(name: str, makes: str = "clip") -> None:
    """Take a provider out again (its keys leave the recipe table)."""
    provider = REGISTRY[makes].pop(name)
    _publish(provider.makes)


def providers_of(makes: str = "clip") -> dict[str, type[Provider]]:
    """The registered providers that make clips (or stills), in registration order."""
    return dict(REGISTRY.get(makes, {}))


def provider_named(name: str, makes: str = "clip") -> type[Provider]:
    """The registered provider `name` among those that make `makes` (KeyError if none)."""
    return REGISTRY[makes][name]


def ranked(makes: str = "clip") -> list[type[Provider]]:
    """Providers by preference: highest priority first."""
    return sorted(providers_of(makes).values(), key=lambda p: -p.priority)


def _publish(makes: str) -> None:
    if makes not in TABLES:
        return
    makers = providers_of(makes)
    default = "the first that can run of " + ", ".join(p.name for p in ranked(makes))
    for table, shared in [TABLES[makes], *ALSO.get(makes, [])]:
        set_provider_keys(table, shared, {n: p.options for n, p in makers.items()}, default)


def asked_for(gen: Generate, makes: str = "clip") -> type[Provider]:
    """The provider the recipe asks for: the one it names, else the first by priority (what
    the contract would choose with every credential set)."""
    makers = providers_of(makes)
    if gen.provider in makers:
        return makers[gen.provider]
    return ranked(makes)[0]


def choose(
    gen: Generate, env: Mapping[str, str], makes: str = "clip"
) -> tuple[type[Provider], str]:
    """The provider that makes a request here, and why. The contract: the provider the recipe
    names, else the highest-ranked one that can run; when the one named cannot run (no
    credentials), the offline stand-in, saying why."""
    makers = providers_of(makes)
    stand_in = next((p for p in makers.values() if p.fallback), None)
    if gen.provider:
        named = makers.get(gen.provider)
        if named is None:
            raise _cannot_run(f"provider {gen.provider!r}", "no such provider is registered")
        ok, why = named.available(env)
        if ok:
            return named, f'provider = "{named.name}" in the recipe'
        if stand_in is None:
            raise _cannot_run(named.name, why)
        return stand_in, f'provider = "{named.name}" but {why}: {stand_in.available(env)[1]}'
    passed: list[str] = []
    for provider in ranked(makes):
        ok, why = provider.available(env)
        if ok:
            return provider, ": ".join([*passed, why]) if passed else why
        passed.append(why)
    raise _cannot_run("any provider", "; ".join(passed))


def _cannot_run(who: str, why: str) -> GenerationError:
    return GenerationError(f"{who} cannot run here: {why}")


def request_of(gen: Generate, provider: str = "", makes: str = "clip") -> dict:
    """Everything that determines a generated result: the shared keys, the options of the
    providers that are in every fingerprint, and the chosen provider's name and options."""
    chosen = REGISTRY.get(makes, {}).get(provider)
    out: dict[str, Any] = {
        "image": str(gen.image) if gen.image else None,
        "image_tail": str(gen.image_tail) if gen.image_tail else None,
        "prompt": gen.prompt,
        "negative_prompt": gen.negative_prompt,
        "length": gen.length,
        "aspect_ratio": gen.aspect_ratio,
    }
    for p in providers_of(makes).values():
        if p.in_every_fingerprint:
            out.update(p.fingerprint_part(gen.options))
    if chosen is not None and not chosen.in_every_fingerprint:
        out["provider"] = chosen.name
        out.update(chosen.fingerprint_part(gen.options))
    return out


def aspect_for(gen: Generate, out_size: tuple[int, int]) -> str:
    if gen.aspect_ratio:
        return gen.aspect_ratio
    w, h = out_size
    return "9:16" if h > w * 1.2 else ("16:9" if w > h * 1.2 else "1:1")


def take_path(dest: Path, take: int, takes: int) -> Path:
    """Where take K of a clip lives: the clip's own path when there is one take, else
    NAME.takeK.mp4 beside it."""
    return dest if takes == 1 else dest.with_name(f"{dest.stem}.take{take}{dest.suffix}")
