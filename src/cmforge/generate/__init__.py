"""Clip and still generation: the provider interface and registry (base.py), jobs and their
fingerprints (jobs.py), and the providers cmforge ships, registered here. A new provider is a
subpackage and one `register` line below."""

from .base import (
    PROVIDERS,
    REGISTRY,
    STILL_PROVIDERS,
    GenerationJob,
    GenerationResult,
    Provider,
    asked_for,
    choose,
    provider_named,
    register,
    unregister,
)
from .flux.provider import FluxProvider
from .jobs import fingerprint, jobs_for
from .kling.provider import KlingProvider
from .kling.still import KlingStillProvider
from .local import LocalProvider
from .local.still import LocalStill

register(LocalProvider)
register(KlingProvider)
register(LocalStill)
register(KlingStillProvider)
register(FluxProvider)

__all__ = [
    "PROVIDERS",
    "REGISTRY",
    "STILL_PROVIDERS",
    "GenerationJob",
    "GenerationResult",
    "Provider",
    "asked_for",
    "choose",
    "fingerprint",
    "jobs_for",
    "provider_named",
    "register",
    "unregister",
]
