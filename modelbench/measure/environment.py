"""Hardware and software fingerprint stored with every measured result.

Read from /proc and /sys where they exist (Linux), ``platform`` elsewhere. Package versions
come from installed metadata, so nothing heavy (torch, tensorflow) is imported to learn them.
``env_hash`` is a short hash of everything that makes two runs comparable (not the host name,
the time, the CPUs a job happened to be pinned to, nor the git state of the working repository:
``git_commit``, ``git_branch`` and ``git_dirty`` say which code was measured, and a testbed must
still match itself across commits, or ``modelbench check`` could never compare two commits).

Example:
    >>> env = fingerprint()
    >>> sorted(k for k in ("cpu_model", "logical_cores", "python") if k in env)
    ['cpu_model', 'logical_cores', 'python']
    >>> len(env_hash(env))
    12
"""

from __future__ import annotations

import functools
import glob
import hashlib
import json
import os
import platform
import subprocess
import sys
from importlib import metadata
from typing import Any

__all__ = ["fingerprint", "env_hash", "env_testbed", "env_testbed_label", "physical_cores",
           "cpu_model", "git_state", "KEY_PACKAGES", "GIT_FIELDS", "VOLATILE_FIELDS"]

#: Packages whose versions change what a model costs; only those installed are listed.
KEY_PACKAGES = ("numpy", "scipy", "scikit-learn", "pandas", "torch", "tensorflow", "jax",
                "jaxlib", "onnxruntime", "onnxruntime-gpu", "transformers", "xgboost",
                "lightgbm", "modelbench")
#: Keys that describe this run, not the environment: left out of the hash.
GIT_FIELDS = ("git_commit", "git_branch", "git_dirty")
VOLATILE_FIELDS = frozenset({"hostname", "cpu_affinity", "niceness", *GIT_FIELDS})


def _read(path: str) -> str:
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            return fh.read()
    except OSError:
        return ""


def cpu_model() -> str:
    """The CPU's marketing name, e.g. ``Intel(R) Xeon(R) Processor``."""
    for line in _read("/proc/cpuinfo").splitlines():
        key, _, value = line.partition(":")
        if key.strip() in ("model name", "Model", "cpu model", "Hardware"):
            return value.strip()
    return platform.processor() or platform.machine() or "unknown"


def physical_cores() -> int | None:
    """Distinct (package, core) pairs from /sys topology; ``None`` when unknown."""
    cores = set()
    for path in glob.glob("/sys/devices/system/cpu/cpu[0-9]*/topology/core_id"):
        folder = os.path.dirname(path)
        package = _read(os.path.join(folder, "physical_package_id")).strip()
        cores.add((package, _read(path).strip()))
    return len(cores) or None


def _ram_gb() -> float | None:
    for line in _read("/proc/meminfo").splitlines():
        if line.startswith("MemTotal:"):
            return round(int(line.split()[1]) / 1024 / 1024, 2)
    try:
        return round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3, 2)
    except (ValueError, OSError, AttributeError):
        return None


def _gpus() -> list[str]:
    """GPU names from the NVIDIA driver's /proc files, or from torch if already imported."""
    names = []
    for info in sorted(glob.glob("/proc/driver/nvidia/gpus/*/information")):
        for line in _read(info).splitlines():
            if line.startswith("Model:"):
                names.append(line.split(":", 1)[1].strip())
    torch = sys.modules.get("torch")
    if not names and torch is not None:
        try:
            if torch.cuda.is_available():
                names = [torch.cuda.get_device_name(i) for i in range(torch.cuda.device_count())]
        except Exception:  # a half-working CUDA install must not break fingerprinting
            pass
    return names


def _packages() -> dict[str, str]:
    found = {}
    for name in KEY_PACKAGES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return found


@functools.lru_cache(maxsize=1)
def _static_fingerprint() -> dict[str, Any]:
    uname = platform.uname()
    return {
        "cpu_model": cpu_model(),
        "physical_cores": physical_cores(),
        "logical_cores": os.cpu_count(),
        "ram_gb": _ram_gb(),
        "gpus": _gpus(),
        "os": platform.platform(),
        "kernel": uname.release,
        "machine": uname.machine,
        "python": platform.python_version(),
        "python_implementation": platform.python_implementation(),
        "packages": _packages(),
        "hostname": uname.node,
    }


def _git(folder: str, *args: str) -> str | None:
    try:
        out = subprocess.run(["git", "-C", folder, *args], capture_output=True, text=True,
                             timeout=5, check=False)
    except (OSError, subprocess.SubprocessError):  # no git, or it hung: the state is unknown
        return None
    return out.stdout.strip() if out.returncode == 0 else None


@functools.lru_cache(maxsize=8)
def git_state(folder: str | None = None) -> dict[str, Any]:
    """Commit, branch and dirty flag of the git repository holding ``folder`` (default: the
    current directory); outside a repository or without git, commit and branch are ``''``
    and the dirty flag ``None`` (unknown), as :class:`~modelbench.records.BenchmarkResult`
    and the store keep them.

    ``git_dirty`` is True when tracked files differ from the commit (untracked files do not
    count: a results database or a log in the tree would make every run dirty). A detached
    HEAD (as CI checks out) has branch ``''``. Read once per folder and process.

    >>> sorted(git_state("/"))
    ['git_branch', 'git_commit', 'git_dirty']
    """
    folder = folder or os.getcwd()
    commit = _git(folder, "rev-parse", "HEAD")
    if commit is None:
        return {"git_commit": "", "git_branch": "", "git_dirty": None}
    branch = _git(folder, "rev-parse", "--abbrev-ref", "HEAD")
    status = _git(folder, "status", "--porcelain", "--untracked-files=no")
    return {"git_commit": commit, "git_branch": "" if branch in (None, "HEAD") else branch,
            "git_dirty": None if status is None else bool(status)}


def fingerprint() -> dict[str, Any]:
    """The environment as a JSON-ready dict, with its ``env_hash``.

    The static part is read once per process; ``cpu_affinity`` (the CPUs this process may
    run on) and ``niceness`` (its scheduling priority) are read each time, since parallel
    jobs are pinned to different cores and a Ray worker's children may run deprioritised.
    """
    env = dict(_static_fingerprint())
    env["packages"] = dict(env["packages"])
    if hasattr(os, "sched_getaffinity"):
        env["cpu_affinity"] = sorted(os.sched_getaffinity(0))
    if hasattr(os, "getpriority"):
        env["niceness"] = os.getpriority(os.PRIO_PROCESS, 0)
    env.update(git_state())
    env["env_hash"] = env_hash(env)
    return env


def env_hash(env: dict[str, Any]) -> str:
    """12 hex characters of SHA-256 over the comparable part of ``env``."""
    stable = {k: v for k, v in env.items() if k not in VOLATILE_FIELDS and k != "env_hash"}
    text = json.dumps(stable, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def env_testbed(environment: dict[str, Any] | None) -> str:
    """A short, stable name of the testbed a result was measured on: node and fingerprint.

    The host name plus the first six characters of ``env_hash`` (the hash leaves the host out,
    so two identical nodes share a hash but not a testbed). ``"unknown"`` without a fingerprint.

    >>> env_testbed({"hostname": "gpu-node-7.cluster.local", "env_hash": "3f9a2c1b7d0e"})
    'gpu-node-7-3f9a2c'
    >>> env_testbed({})
    'unknown'
    """
    environment = environment or {}
    host = str(environment.get("hostname") or "").split(".")[0][:20]
    digest = str(environment.get("env_hash") or "")[:6]
    return "-".join(part for part in (host, digest) if part) or "unknown"


def env_testbed_label(environment: dict[str, Any] | None) -> str:
    """The testbed id with what it stands for: CPU model and GPUs, for a footnote.

    >>> env_testbed_label({"hostname": "n1", "env_hash": "abcdef123456", "cpu_model": "Xeon",
    ...                "gpus": ["H200"]})
    'n1-abcdef (Xeon, H200)'
    """
    environment = environment or {}
    parts = [str(environment.get("cpu_model") or ""), *map(str, environment.get("gpus") or [])]
    what = ", ".join(p for p in parts if p)
    return f"{env_testbed(environment)} ({what})" if what else env_testbed(environment)
