"""Vision test plumbing: the OCR engine (skipped when absent, failing under CI=true) and the
seeded renderer shared with ``benchmarks/bench_vision.py``."""

from __future__ import annotations

import importlib.util
import sys

import pytest
from conftest import FIXTURES, REPO, require

# the first real images, in the repository with their provenance
IMAGES = FIXTURES / "images"
ENABLE_OCR = ("apt-get install tesseract-ocr tesseract-ocr-eng libtesseract-dev "
              "libleptonica-dev pkg-config && pip install --no-binary tesserocr tesserocr")


def _load_samples():
    spec = importlib.util.spec_from_file_location(
        "vision_samples", REPO / "benchmarks" / "vision_samples.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("vision_samples", module)
    spec.loader.exec_module(module)
    return module


samples = _load_samples()


@pytest.fixture(scope="session")
def ocr():
    """The shared Tesseract engine."""
    from modelbench.vision import ocr_available

    require(ocr_available(), "Tesseract (tesserocr + tesseract-ocr-eng)", ENABLE_OCR)
    from modelbench.vision import get_engine

    return get_engine()


@pytest.fixture(scope="session")
def images_dir():
    return IMAGES
