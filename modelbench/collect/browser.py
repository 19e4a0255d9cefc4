"""JavaScript-rendered pages through Playwright driving the system Chromium.

Never ``playwright install`` (it downloads a browser): the Debian package ``chromium`` is used
through ``executable_path`` (``/usr/bin/chromium``, or ``$MODELBENCH_CHROMIUM``). Each browser
gets a fresh, throw-away profile (user-data-dir) and flags that keep it from phoning home.

Playwright's sync API is bound to one thread and refuses to run inside an asyncio loop, so each
:class:`Browser` drives Chromium from its own worker thread: it can be used from any thread,
from a Textual app, and next to other Browsers.

Example:
    >>> with Browser() as browser:                                  # doctest: +SKIP
    ...     html = browser.render("http://127.0.0.1:8000/board.html", wait_for="table td")
"""

from __future__ import annotations

import os
import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from ..errors import ConfigError, ExtractionError, FetchError
from .http import USER_AGENT

__all__ = ["Browser", "CHROMIUM_FLAGS", "chromium_path"]

CHROMIUM_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
)


def chromium_path() -> str:
    """The Chromium binary to drive: ``$MODELBENCH_CHROMIUM``, ``chromium`` on PATH, or
    ``/usr/bin/chromium``; :class:`ConfigError` naming the package when there is none."""
    candidate = (os.environ.get("MODELBENCH_CHROMIUM") or shutil.which("chromium")
                 or "/usr/bin/chromium")
    if not Path(candidate).is_file():
        raise ConfigError("Chromium is not installed, so --render cannot run",
                          hint="apt-get install chromium (never `playwright install`)")
    return candidate


class Browser:
    """One headless Chromium, started on first use; pages render in fresh tabs."""

    def __init__(self, *, executable_path: str | None = None, timeout: float = 30.0,
                 user_agent: str = USER_AGENT) -> None:
        self.executable_path = executable_path
        self.timeout = timeout
        self.user_agent = user_agent
        self._playwright: Any = None
        self._context: Any = None
        self._profile: str | None = None
        self._worker: ThreadPoolExecutor | None = None

    def _call(self, func: Any, *args: Any, **kwargs: Any) -> Any:
        """Run ``func`` on this browser's own thread (Playwright objects live there)."""
        if self._worker is None:
            self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="chromium")
        return self._worker.submit(func, *args, **kwargs).result()

    def start(self) -> Browser:
        """Launch Chromium (idempotent)."""
        return self._call(self._start)

    def _start(self) -> Browser:
        if self._context is not None:
            return self
        try:
            from playwright.sync_api import sync_playwright
        except ModuleNotFoundError as exc:
            raise ConfigError("rendering needs the 'playwright' package",
                              hint="pip install 'modelbench[web]'") from exc
        executable = self.executable_path or chromium_path()
        self._profile = tempfile.mkdtemp(prefix="modelbench-chromium-")
        self._playwright = sync_playwright().start()
        try:
            self._context = self._playwright.chromium.launch_persistent_context(
                self._profile, executable_path=executable, headless=True,
                args=list(CHROMIUM_FLAGS), user_agent=self.user_agent, accept_downloads=False,
                service_workers="block", java_script_enabled=True)
        except Exception as exc:
            self._close()
            raise FetchError(f"Chromium ({executable}) did not start: {exc}",
                             hint="check that the Debian package chromium runs: "
                                  "chromium --headless --no-sandbox --version") from exc
        return self

    def render(self, url: str, *, wait_for: str | None = "table td",
               timeout: float | None = None) -> str:
        """The page's HTML after its scripts ran and ``wait_for`` (a CSS selector) appeared.

        Raises:
            FetchError: the page could not be loaded (or answered an HTTP error).
            ExtractionError: ``wait_for`` never appeared ("no results table found").
        """
        self.start()
        return self._call(self._render, url, wait_for, timeout)

    def _render(self, url: str, wait_for: str | None, timeout: float | None) -> str:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        limit_ms = (timeout or self.timeout) * 1000
        page = self._context.new_page()
        try:
            try:
                response = page.goto(url, wait_until="domcontentloaded", timeout=limit_ms)
            except PlaywrightError as exc:
                raise FetchError(f"Chromium could not load {url}: {exc.message.splitlines()[0]}",
                                 hint="check the URL") from exc
            if response is not None and response.status >= 400:
                raise FetchError(f"{url} answered HTTP {response.status} in Chromium",
                                 hint="check the URL", status=response.status, url=str(url))
            if wait_for:
                try:
                    page.wait_for_selector(wait_for, timeout=limit_ms)
                except PlaywrightTimeout as exc:
                    raise ExtractionError(
                        f"no results table found on {url}: {wait_for!r} did not appear within "
                        f"{limit_ms / 1000:.0f} s of rendering",
                        hint="the layout may have changed; raise --timeout or check the page"
                    ) from exc
            return page.content()
        finally:
            page.close()

    def close(self) -> None:
        """Stop Chromium, delete its profile and end the worker thread."""
        if self._worker is None:
            return
        try:
            self._call(self._close)
        finally:
            self._worker.shutdown()
            self._worker = None

    def _close(self) -> None:
        if self._context is not None:
            try:
                self._context.close()
            finally:
                self._context = None
        if self._playwright is not None:
            self._playwright.stop()
            self._playwright = None
        if self._profile:
            shutil.rmtree(self._profile, ignore_errors=True)
            self._profile = None

    def __enter__(self) -> Browser:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()
