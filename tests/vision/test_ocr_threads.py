"""Tesseract's one-thread OpenMP cap stays with Tesseract: it never reaches the process
environment, nor the children the process starts (issue 16)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from conftest import REPO

_PROBE = """
import json, os, subprocess, sys
import modelbench.vision
from modelbench.vision import get_engine
from modelbench.vision.ocr import omp_thread_limit
imported = os.environ.get("OMP_THREAD_LIMIT")
get_engine()
child = subprocess.run([sys.executable, "-c",
                        "import os; print(os.environ.get('OMP_THREAD_LIMIT'))"],
                       capture_output=True, text=True).stdout.strip()
print(json.dumps({"after_import": imported, "after_engine": os.environ.get("OMP_THREAD_LIMIT"),
                  "child": child, "tesseract_limit": omp_thread_limit()}))
"""


def _probe(env_extra: dict[str, str]) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "OMP_THREAD_LIMIT"}
    env.update(env_extra, PYTHONPATH=str(REPO))
    done = subprocess.run([sys.executable, "-c", _PROBE], capture_output=True, text=True,
                          env=env, cwd=REPO, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_thread_cap_does_not_leak_into_the_environment(ocr):
    seen = _probe({})
    assert seen["after_import"] is None
    assert seen["after_engine"] is None
    assert seen["child"] == "None"
    # ... while Tesseract itself still runs on one OpenMP thread (the speed it was set for)
    assert seen["tesseract_limit"] == 1


def test_a_limit_the_user_set_is_kept(ocr):
    seen = _probe({"OMP_THREAD_LIMIT": "3"})
    assert seen["after_engine"] == "3"
    assert seen["child"] == "3"
    assert seen["tesseract_limit"] == 3
