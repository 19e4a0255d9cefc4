"""Seed compatibility: ``from src.scrapers import HuggingFaceScraper`` (needs the ``web`` extra)."""

from modelbench.collect import (  # noqa: F401
    BenchmarkScraper,
    HuggingFaceScraper,
    LeaderboardScraper,
    PapersWithCodeScraper,
    PaperWithCodeScraper,
)
