"""The environment fingerprint: hardware and software read from the machine itself."""

from __future__ import annotations

import os
import platform
import subprocess

import numpy as np
import pytest

from modelbench.measure.environment import env_hash, fingerprint, git_state


def test_fingerprint_reads_this_machine():
    env = fingerprint()
    assert env["logical_cores"] == os.cpu_count()
    assert env["python"] == platform.python_version()
    assert env["packages"]["numpy"] == np.__version__
    assert "modelbench" in env["packages"]
    if os.path.exists("/proc/cpuinfo"):
        with open("/proc/cpuinfo") as fh:
            names = [line.split(":", 1)[1].strip() for line in fh if line.startswith("model name")]
        if names:
            assert env["cpu_model"] == names[0]
    if os.path.exists("/proc/meminfo"):
        with open("/proc/meminfo") as fh:
            kb = int(next(line for line in fh if line.startswith("MemTotal")).split()[1])
        assert env["ram_gb"] == pytest.approx(kb / 1024 / 1024, abs=0.01)
    assert env["physical_cores"] is None or 1 <= env["physical_cores"] <= env["logical_cores"]
    assert isinstance(env["gpus"], list)


def test_hash_is_short_stable_and_sensitive():
    env = fingerprint()
    assert len(env["env_hash"]) == 12 and env["env_hash"] == fingerprint()["env_hash"]
    changed = dict(env, python="2.7.18")
    assert env_hash(changed) != env["env_hash"]
    # where a job runs and the host name do not make environments different
    assert env_hash(dict(env, cpu_affinity=[0], hostname="elsewhere")) == env["env_hash"]


def _git(repo, *args):
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True,
                   env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@x",
                        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@x"})


def test_git_state_of_the_working_repository(tmp_path, monkeypatch):
    repo = tmp_path / "project"
    repo.mkdir()
    _git(repo, "init", "-q", "-b", "feature")
    (repo / "model.py").write_text("x = 1\n")
    _git(repo, "add", "model.py")
    _git(repo, "commit", "-q", "-m", "first")
    head = subprocess.run(["git", "-C", str(repo), "rev-parse", "HEAD"], capture_output=True,
                          text=True, check=True).stdout.strip()
    git_state.cache_clear()
    monkeypatch.chdir(repo)
    clean = fingerprint()
    assert (clean["git_commit"], clean["git_branch"], clean["git_dirty"]) == \
        (head, "feature", False)
    (repo / "model.py").write_text("x = 2\n")
    (repo / "results.db").write_text("untracked files do not make a tree dirty")
    git_state.cache_clear()
    dirty = fingerprint()
    assert dirty["git_dirty"] is True
    # the testbed is the same across commits and edits: check must compare them
    assert dirty["env_hash"] == clean["env_hash"] == env_hash(dict(clean, git_commit="0" * 40))
    git_state.cache_clear()
    monkeypatch.chdir(tmp_path)  # not a repository
    assert git_state() == {"git_commit": "", "git_branch": "", "git_dirty": None}
    git_state.cache_clear()
