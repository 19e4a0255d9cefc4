"""Seed compatibility: ``from src.benchmarking import ModelBenchmark``."""

from modelbench import ModelBenchmark  # noqa: F401
