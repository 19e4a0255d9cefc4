"""Published results from the web: Hugging Face Hub, Papers with Code, leaderboard pages.

Collectors produce records; the CLI (or your code) stores them.

Example:
    >>> from modelbench.collect import HuggingFaceScraper      # doctest: +SKIP
    >>> HuggingFaceScraper().get_popular_models(task="text-classification",
    ...                                         limit=5)                # doctest: +SKIP
    [{'name': ..., 'downloads': ..., 'likes': ..., 'tags': [...], 'url': ..., 'parameters': ...}]
"""

from __future__ import annotations

from typing import Any

__all__ = ["BenchmarkScraper", "Fetcher", "FetchPolicy", "HuggingFaceScraper",
           "PapersWithCodeScraper", "PaperWithCodeScraper", "LeaderboardScraper"]

# Imported on first use: each pulls in optional dependencies of the [web] extra.
_WHERE = {
    "BenchmarkScraper": "http", "Fetcher": "http", "FetchPolicy": "http",
    "HuggingFaceScraper": "huggingface",
    "PapersWithCodeScraper": "paperswithcode", "PaperWithCodeScraper": "paperswithcode",
    "LeaderboardScraper": "tables",
}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(name)
    import importlib

    try:
        loaded = importlib.import_module(f"{__name__}.{module}")
    except ModuleNotFoundError as exc:
        from ..errors import ConfigError

        raise ConfigError(f"collecting needs the package {exc.name!r}",
                          hint="pip install 'modelbench[web]'") from exc
    return getattr(loaded, name)
