"""The suite needs nothing outside the repository: fixtures are in ``tests/fixtures``."""

from __future__ import annotations

import re

from conftest import FIXTURES, REPO

# A path that climbs out of the checkout (``REPO.parent``, or the folder beside the clone that
# the fixtures came from) would make a bare clone fail or skip.
BESIDE = "shared"
OUTSIDE = re.compile(rf"REPO\.parent|\.\./{BESIDE}|parent\s*/\s*[\"']{BESIDE}")


def test_fixtures_live_in_the_repository():
    assert FIXTURES.is_relative_to(REPO)
    for folder in ("model_cards", "images"):
        readme = (FIXTURES / folder / "README.md").read_text()
        assert "commit" in readme and "licen" in readme.lower()  # provenance travels with them
    assert len(list((FIXTURES / "images").glob("*.png"))) == 8
    assert len(list((FIXTURES / "model_cards").glob("0*.md"))) == 8


def test_model_cards_keep_their_crlf_line_endings():
    # the collector's front-matter parsing is tested on CRLF cards; git must not normalise them
    card = FIXTURES / "model_cards" / "06_rubert-tiny2-russian-emotion-detection.md"
    assert b"---\r\n" in card.read_bytes()
    attributes = (REPO / ".gitattributes").read_text()
    assert "tests/fixtures/** -text" in attributes


def test_no_test_reads_outside_the_repository():
    offenders = [str(path.relative_to(REPO)) for path in (REPO / "tests").rglob("*.py")
                 if path.name != "test_self_contained.py" and OUTSIDE.search(path.read_text())]
    assert offenders == []


def test_the_docstring_examples_are_part_of_the_suite():
    import tomllib

    options = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]
    assert "modelbench" in options["testpaths"]
    assert "--doctest-modules" in options["addopts"].split()
