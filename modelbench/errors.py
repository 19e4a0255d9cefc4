"""Named errors. Each message says what went wrong and what to do next.

Example:
    >>> from modelbench.errors import StoreError
    >>> try:
    ...     raise StoreError("cannot open data/x.db: read-only",
    ...                      hint="pass --db-path to a writable file")
    ... except StoreError as exc:
    ...     print(exc)
    cannot open data/x.db: read-only (hint: pass --db-path to a writable file)
"""

from __future__ import annotations


class ModelBenchError(Exception):
    """Base of every error modelbench raises on purpose.

    ``hint`` is the user's next step; the CLI prints it under the message.
    """

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} (hint: {self.hint})" if self.hint else self.message


class ConfigError(ModelBenchError):
    """A setting, flag or config file is wrong (unknown key, bad value, unknown backend)."""


class ValidationError(ModelBenchError, ValueError):
    """A value cannot be stored or computed: NaN score, mismatched lengths, unknown metric."""


class MetricValueError(ValidationError):
    """A metric's value is not a finite number (NaN/inf): that model's result is an error.

    ``metric`` names the metric, ``value`` is what it gave (``None`` when not a number).
    """

    def __init__(self, message: str, *, metric: str = "", value: float | None = None,
                 hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.metric = metric
        self.value = value


class StoreError(ModelBenchError):
    """A database cannot be opened, written or read."""


class StoreUnavailableError(StoreError):
    """The database server cannot be reached. ``spool_path`` names unsent results kept locally."""

    def __init__(self, message: str, *, hint: str | None = None, spool_path: str | None = None):
        super().__init__(message, hint=hint)
        self.spool_path = spool_path


class StoreDamagedError(StoreError):
    """The database file is damaged (malformed pages, not a database); the hint says how to
    recover what is readable."""


class SchemaVersionError(StoreError):
    """The store was written by a newer modelbench: ``found`` > ``supported`` schema version."""

    def __init__(self, message: str, *, found: int, supported: int,
                 hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.found = found
        self.supported = supported


class SchemaMissingError(StoreError):
    """The store has no modelbench schema yet (``modelbench setup`` creates it)."""


class FetchError(ModelBenchError):
    """A web resource could not be fetched (HTTP error, robots.txt disallow, timeout).

    ``status`` is the HTTP status code when the server answered (404, 429, 503...), ``None``
    when it did not (timeout, refused connection, robots.txt, too large); ``url`` what was asked.
    """

    def __init__(self, message: str, *, hint: str | None = None, status: int | None = None,
                 url: str = "") -> None:
        super().__init__(message, hint=hint)
        self.status = status
        self.url = url


class ExtractionError(ModelBenchError):
    """Numbers could not be extracted from a page or an image."""


class BenchmarkError(ModelBenchError):
    """A model could not be benchmarked (it raised, hung, or returned the wrong shape)."""
