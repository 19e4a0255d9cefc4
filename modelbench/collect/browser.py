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
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from ..errors import ConfigError, ExtractionError, FetchError
from .http import USER_AGENT

__all__ = ["Browser", "CHROMIUM_FLAGS", "chromium_path"]

CHROMIUM_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
)


_NEVER_LOADED = frozenset({"image", "media", "font"})
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_MAX_REDIRECTS = 10


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
               timeout: float | None = None,
               check_url: Callable[[str], None] | None = None) -> str:
        """The page's HTML after its scripts ran and ``wait_for`` (a CSS selector) appeared.

        ``check_url(url)`` is asked about every request Chromium makes — the page, each
        redirect hop, every script, stylesheet and XHR, on any host — and a request it
        refuses (by raising :class:`FetchError`, e.g. :meth:`Fetcher.check_allowed` for
        robots.txt) is aborted before it leaves the browser. Images, media and fonts are
        never loaded (a results table needs none of them).

        Raises:
            FetchError: the page could not be loaded (or answered an HTTP error).
            ExtractionError: ``wait_for`` never appeared ("no results table found").
        """
        self.start()
        return self._call(self._render, url, wait_for, timeout, check_url)

    @staticmethod
    def _guard(check_url: Callable[[str], None] | None, refused: list[str]) -> Any:
        """A route handler: abort what ``check_url`` refuses, and all images/media/fonts."""
        def handle(route: Any) -> None:
            request = route.request
            if request.resource_type in _NEVER_LOADED:
                route.abort("blockedbyclient")
                return
            # Chromium follows redirects without asking the route again (even redirects
            # handed back with fulfill), so the hops are followed here, each one checked.
            url = request.url
            for _ in range(_MAX_REDIRECTS):
                if check_url is not None:
                    try:
                        check_url(url)
                    except FetchError as exc:
                        refused.append(f"{url} ({exc.message})")
                        route.abort("blockedbyclient")
                        return
                response = route.fetch(url=url, max_redirects=0)
                location = response.headers.get("location")
                if response.status not in _REDIRECTS or not location:
                    route.fulfill(response=response)
                    return
                url = urljoin(url, location)
            refused.append(f"{request.url} (more than {_MAX_REDIRECTS} redirects)")
            route.abort("blockedbyclient")
        return handle

    def _render(self, url: str, wait_for: str | None, timeout: float | None,
                check_url: Callable[[str], None] | None = None) -> str:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        limit_ms = (timeout or self.timeout) * 1000
        page = self._context.new_page()
        refused: list[str] = []
        page.route("**/*", self._guard(check_url, refused))
        try:
            try:
                response = page.goto(url, wait_until="domcontentloaded", timeout=limit_ms)
            except PlaywrightError as exc:
                if refused:
                    raise FetchError(f"Chromium was refused {refused[0]}",
                                     hint="this page may not be crawled; use the site's API "
                                          "or a saved copy of the page") from exc
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
