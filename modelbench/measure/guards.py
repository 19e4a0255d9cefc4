"""Protections around a model: in-process guards, a scrubbed child environment, signals.

In this process (``isolate=False``, or a lambda that cannot go to a child) a model shares the
caller's interpreter, so what can be guarded is limited and said plainly:

- ``os._exit`` and ``sys.exit`` inside the model become an error result (``os._exit`` is
  replaced while the model runs; ``SystemExit`` is caught);
- a ``chdir`` is undone after each phase, with a warning;
- ``timeout=`` raises :class:`ModelTimeout` inside the model: by ``SIGALRM`` when measuring
  on the main thread (this also breaks a ``time.sleep``), else by an asynchronous exception
  delivered at the next Python bytecode. Neither can stop C code that never returns to
  Python, and a segfault ends the process;
- so before its first run here a model is called once in a forked copy of this process
  (:func:`probe_in_fork`, where ``os.fork`` exists): one that crashes, exits or hangs there
  becomes an error/timeout result and never runs here. A crash that comes only later or
  only sometimes cannot be foreseen: for untrusted models, measure in child processes (the
  default), where a timeout kills the child and a crash is one error result.

Children get :func:`child_environment`: the caller's variables less the store's secrets
(``MODELBENCH_DB_*``, ``PGPASSWORD``, any ``*PASSWORD*``/``*SECRET*`` name, URLs with a
password) unless named in ``pass_env``; :func:`redact` removes those values from any message
a model produces before it is stored.

Example:
    >>> env = child_environment({"PATH": "/bin", "MODELBENCH_DB_PASSWORD": "pw"})
    >>> sorted(env)
    ['PATH']
    >>> redact("login failed for pw", {"MODELBENCH_DB_PASSWORD": "pw"})
    'login failed for ***'
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import re
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

__all__ = ["ModelTimeout", "ModelExited", "Interrupted", "guarded_call", "deadline",
           "probe_in_fork", "child_environment", "secret_names", "redact", "interruptible",
           "thread_settings", "THREAD_VARIABLES", "recorded_environment"]

#: The thread-count variables of the usual math libraries (set in a child before it starts).
THREAD_VARIABLES = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS",
                    "NUMEXPR_NUM_THREADS", "VECLIB_MAXIMUM_THREADS", "BLIS_NUM_THREADS")
_SECRET_NAME = re.compile(r"PASSWORD|PASSWD|SECRET|CREDENTIAL", re.I)
_STORE_NAMES = re.compile(r"^(MODELBENCH_DB_|MODELBENCH_PG_|MODELBENCH_TIMESCALE_|PGPASS|"
                          r"CLICKHOUSE_)", re.I)
_URL_WITH_PASSWORD = re.compile(r"^[a-z][a-z0-9+.-]*://[^/@:\s]*:[^/@\s]+@", re.I)


class ModelTimeout(BaseException):
    """Raised inside an in-process model whose run passed its ``timeout``.

    A ``BaseException`` so that a model's own ``except Exception`` does not swallow it.
    """


class ModelExited(BaseException):
    """An in-process model called ``os._exit``/``sys.exit``; carries the exit code."""

    def __init__(self, code: Any) -> None:
        super().__init__(f"the model called exit({code!r}) in this process")
        self.code = code


class Interrupted(BaseException):
    """SIGINT, SIGTERM or SIGHUP arrived while measuring; ``signum`` says which."""

    def __init__(self, signum: int) -> None:
        self.signum = signum
        super().__init__(f"interrupted by {signal.Signals(signum).name}")


# -- secrets -------------------------------------------------------------------------------
def secret_names(environ: Mapping[str, str] | None = None,
                 pass_env: Sequence[str] = ()) -> list[str]:
    """Names of variables that hold store secrets (and are not passed on on purpose)."""
    environ = os.environ if environ is None else environ
    keep = set(pass_env)
    return [name for name, value in environ.items() if name not in keep and (
        _STORE_NAMES.match(name) or _SECRET_NAME.search(name)
        or _URL_WITH_PASSWORD.match(value or ""))]


def child_environment(environ: Mapping[str, str] | None = None, *,
                      pass_env: Sequence[str] = (), threads: int | None = None
                      ) -> dict[str, str]:
    """The environment for a measured child: secrets removed, thread variables set."""
    environ = dict(os.environ if environ is None else environ)
    for name in secret_names(environ, pass_env):
        environ.pop(name, None)
    if threads is not None:
        environ.update({name: str(threads) for name in THREAD_VARIABLES})
    return environ


#: Names whose values are never recorded (wider than what children lose: a model's own
#: ``env`` may hand it a token on purpose, but a result never keeps it).
_SECRET_LOOKING = re.compile(r"PASSWORD|PASSWD|SECRET|CREDENTIAL|TOKEN|API_?KEY|ACCESS_?KEY|"
                             r"PRIVATE|AUTH|SESSION|COOKIE", re.I)


def recorded_environment(env: Mapping[str, str]) -> dict[str, str]:
    """``env`` as a result records it: secret-looking values replaced by ``***``.

    >>> recorded_environment({"OMP_NUM_THREADS": "1", "HF_TOKEN": "hf_abc",
    ...                       "DB": "postgresql://u:pw@h/db"})
    {'OMP_NUM_THREADS': '1', 'HF_TOKEN': '***', 'DB': '***'}
    """
    hidden = set(secret_names(env))
    return {name: "***" if name in hidden or _SECRET_LOOKING.search(name) else value
            for name, value in env.items()}


def redact(text: str, environ: Mapping[str, str] | None = None) -> str:
    """``text`` with the value of every secret variable replaced by ``***``."""
    environ = os.environ if environ is None else environ
    for name in secret_names(environ):
        value = environ.get(name) or ""
        if len(value) >= 2 and value in text:
            text = text.replace(value, "***")
    return text


# -- thread counts -------------------------------------------------------------------------
@contextlib.contextmanager
def thread_settings(threads: int | None) -> Iterator[dict[str, Any]]:
    """Apply ``threads`` to the runtimes loaded here while the block runs; yields what was
    set, to record (the previous counts come back afterwards).

    The variables in :data:`THREAD_VARIABLES` only act before a library starts (a child
    gets them in its environment); here, threadpoolctl (when installed) limits the BLAS and
    OpenMP pools already loaded, and torch's own API is called when torch is imported.
    onnxruntime takes its count per session (``SessionOptions.intra_op_num_threads``): a
    model building its session reads ``OMP_NUM_THREADS`` or its own setting.
    """
    if threads is None:
        yield {}
        return
    applied: dict[str, Any] = {"threads": threads}
    if all(os.environ.get(name) == str(threads) for name in THREAD_VARIABLES):
        applied["environment"] = list(THREAD_VARIABLES)
    limiter = None
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        pass
    else:
        limiter = threadpool_limits(limits=threads)
        applied["threadpoolctl"] = sorted({str(p.get("internal_api")) for p in
                                           threadpool_info_safe()})
    torch = sys.modules.get("torch")
    torch_before = None
    if torch is not None:
        with contextlib.suppress(Exception):  # a torch without the API: nothing to set
            torch_before = torch.get_num_threads()
            torch.set_num_threads(threads)
            applied["torch"] = torch.get_num_threads()
    try:
        yield applied
    finally:
        if limiter is not None:
            limiter.restore_original_limits()
        if torch_before is not None:
            torch.set_num_threads(torch_before)


def threadpool_info_safe() -> list[dict[str, Any]]:
    """threadpoolctl's list of loaded thread pools, or ``[]`` without it."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return []
    return list(threadpool_info())


# -- in-process guards ---------------------------------------------------------------------
def _async_raise(thread_id: int, exc_type: type[BaseException]) -> None:
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id),
                                               ctypes.py_object(exc_type))


@contextlib.contextmanager
def deadline(seconds: float | None) -> Iterator[None]:
    """Raise :class:`ModelTimeout` in this thread once ``seconds`` have passed.

    On the main thread ``SIGALRM`` (``setitimer``) is used and the previous handler comes
    back afterwards; on other threads an asynchronous exception (delivered at the next
    Python bytecode: C code that never returns cannot be stopped).
    """
    if not seconds:
        yield
        return
    if threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer"):
        def on_alarm(signum: int, frame: Any) -> None:
            raise ModelTimeout()

        previous = signal.signal(signal.SIGALRM, on_alarm)
        signal.setitimer(signal.ITIMER_REAL, seconds)
        try:
            yield
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
        return
    target = threading.get_ident()
    fired = threading.Event()
    done = threading.Event()

    def fire() -> None:
        if not done.is_set():
            fired.set()
            _async_raise(target, ModelTimeout)

    timer = threading.Timer(seconds, fire)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        done.set()
        timer.cancel()


@contextlib.contextmanager
def _trapped_os_exit() -> Iterator[None]:
    real = os._exit

    def refuse(code: int) -> None:
        raise ModelExited(code)

    os._exit = refuse  # type: ignore[assignment]
    try:
        yield
    finally:
        os._exit = real


def guarded_call(fn: Callable[[], Any], *, timeout: float | None = None,
                 warnings: list[str] | None = None) -> Any:
    """Run ``fn()`` (a phase of an in-process run) under every guard above.

    ``sys.exit``/``os._exit`` become :class:`ModelExited`; a changed working directory is
    restored (and noted in ``warnings``); ``timeout`` raises :class:`ModelTimeout`.
    """
    cwd = os.getcwd()
    try:
        with _trapped_os_exit(), deadline(timeout):
            try:
                return fn()
            except SystemExit as exc:
                raise ModelExited(exc.code) from None
    finally:
        if os.getcwd() != cwd:
            os.chdir(cwd)
            if warnings is not None:
                warnings.append(f"the model changed the working directory; it was set back "
                                f"to {cwd}")


# -- a forked probe ------------------------------------------------------------------------
def _describe_exit(status: int) -> str:
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        try:
            name = signal.Signals(number).name
        except ValueError:
            name = f"signal {number}"
        return f"was killed by {name}"
    return f"exited with code {os.WEXITSTATUS(status)}"


def probe_in_fork(call: Callable[[], Any], timeout: float) -> tuple[str, str] | None:
    """Call ``call()`` once in a forked copy of this process, before it runs here.

    ``None`` when the copy came back (returned, or raised: a Python error is reported by
    the run itself); else ``(status, message)`` for a copy that crashed (a segfault), exited
    or hung past ``timeout`` seconds — the model is then not run in this process, whose
    measurements so far it would take down with it. Unavailable without ``os.fork``
    (``None``). A crash that only happens later, or only sometimes, cannot be foreseen.
    """
    if not hasattr(os, "fork"):
        return None
    pid = os.fork()
    if pid == 0:  # the copy: quiet, dies with its parent, never returns into the caller
        code = 0
        try:
            if sys.platform.startswith("linux"):
                with contextlib.suppress(Exception):
                    ctypes.CDLL(None).prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
            quiet = os.open(os.devnull, os.O_WRONLY)
            os.dup2(quiet, 1)
            os.dup2(quiet, 2)
            with contextlib.suppress(Exception, SystemExit):  # the run here reports those
                call()
        except BaseException:  # anything else: not a copy that came back
            code = 3
        finally:
            os._exit(code)
    return _wait_probe(pid, timeout)


def _wait_probe(pid: int, timeout: float) -> tuple[str, str] | None:
    import time

    deadline = time.monotonic() + timeout
    reaped = False
    try:
        while True:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                reaped = True
                if os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0:
                    return None
                return "error", (f"the model {_describe_exit(status)} when called in a forked "
                                 "copy of this process, so it was not run here (measure it "
                                 "isolated, in a child process, to see more)")
            if time.monotonic() > deadline:
                return "timeout", (f"no result after {timeout:g} s in a forked copy of this "
                                   "process; it was stopped and the model not run here")
            time.sleep(0.01)
    finally:
        if not reaped:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)


# -- signals -------------------------------------------------------------------------------
@contextlib.contextmanager
def interruptible() -> Iterator[None]:
    """Turn SIGINT, SIGTERM and SIGHUP into :class:`Interrupted` while measuring.

    Only the first signal raises (a second one while the finished results are being kept
    is ignored); the previous handlers come back afterwards. Off the main thread signals
    cannot be caught and this does nothing.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    raised = False

    def on_signal(signum: int, frame: Any) -> None:
        nonlocal raised
        if not raised:
            raised = True
            raise Interrupted(signum)

    wanted = [s for s in (signal.SIGINT, signal.SIGTERM, getattr(signal, "SIGHUP", None))
              if s is not None]
    previous = {s: signal.signal(s, on_signal) for s in wanted}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
