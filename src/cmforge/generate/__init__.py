"""Clip generation: the provider interface, the offline local provider, the cache."""

from .base import GenerationJob, GenerationResult, Provider, choose_provider, jobs_for

__all__ = ["GenerationJob", "GenerationResult", "Provider", "choose_provider", "jobs_for"]
