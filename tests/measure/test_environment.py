"""The environment fingerprint: hardware and software read from the machine itself."""

from __future__ import annotations

import os
import platform

import numpy as np
import pytest

from modelbench.measure.environment import env_hash, fingerprint


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
