"""Seed compatibility: ``from src.models import BenchmarkResult, ModelMetadata, ...``."""

from modelbench.records import BenchmarkResult, DatasetMetadata, ModelMetadata  # noqa: F401
