"""The Hub collector against a mock Hub serving the 8 real model cards of tests/fixtures."""

from __future__ import annotations

import json

import pytest
from conftest import FIXTURES

from modelbench.collect import HuggingFaceScraper
from modelbench.collect.huggingface import front_matter
from modelbench.errors import FetchError
from modelbench.numbers import parse_number

from .servers import HUB_MODELS, Reply


@pytest.fixture
def scraper(hub):
    with HuggingFaceScraper(endpoint=hub.url, cache=False, rate_per_host=None,
                            respect_robots=False, backoff=0.01, retries=2) as s:
        yield s


def _expected():
    return json.loads((FIXTURES / "model_cards" / "expected.json").read_text())["files"]


@pytest.mark.parametrize("filename", sorted(HUB_MODELS))
def test_each_card_gives_the_results_huggingface_hub_parses(filename, hub, scraper):
    repo_id = HUB_MODELS[filename][0]
    expected = _expected()[filename]
    model = scraper.collect_model(repo_id)
    meta = model.metadata
    assert meta.model_name == repo_id and meta.source == "huggingface"
    assert meta.parameters == HUB_MODELS[filename][4]  # from safetensors metadata
    assert meta.license == expected["license"]
    assert meta.source_url == f"{hub.url}/{repo_id}"
    if "error" in expected:  # a result without a dataset: said why, the model is still there
        assert model.results == []
        assert any("no dataset given" in w for w in model.warnings)
        assert model.outcome.counts() == {"stored": 0, "duplicate": 0, "unreadable": 1}
        return
    # huggingface_hub keeps a count of the examples evaluated ("total": 11869 beside exact
    # match and F1) as an eval result; it is none here, and is reported as unreadable
    want = [row for row in expected["eval_results"] if row["metric_type"] != "total"]
    counts = len(expected["eval_results"]) - len(want)
    assert model.outcome.counts()["unreadable"] == counts
    assert len(model.results) == len(want)
    for got, row in zip(model.results, want, strict=True):
        assert got.score == parse_number(row["metric_value"]).value
        assert got.extra.get("verified") == row["verified"]
        assert got.extra["dataset_type"] == row["dataset_type"]
        assert got.extra.get("metric_name") == row["metric_name"]
        assert got.extra.get("split") == row["dataset_split"]
        assert got.source == "huggingface" and got.extraction_method == "model-index"
        assert got.collected_at is not None and got.source_url == meta.source_url
        assert got.task_type == got.task_type.lower() and " " not in got.task_type
    keys = [(r.task_type, r.dataset, r.dataset_config, r.dataset_split, r.metric)
            for r in model.results]
    if filename.startswith(("03_", "07_")):  # told apart by their config (dataset/metric name)
        assert len(set(keys)) == len(keys)


def test_string_percent_value_and_readme_fallback(hub, scraper):
    repo_id = "Aniemore/rubert-tiny2-russian-emotion-detection"
    model = scraper.collect_model(repo_id)
    multilabel, single = model.results
    assert multilabel.score == 85.0 and multilabel.extra["raw"] == "85%"
    assert multilabel.extra["percent"] and single.score == 76.0
    # the model-index names the model in words, not by its Hub id
    assert multilabel.extra["model_index_name"].startswith("RuBERT tiny2 For Russian")
    assert multilabel.model_name == repo_id
    assert hub.hits[f"/{repo_id}/resolve/" + "0" * 39 + "1/README.md"] == 1


def test_swapped_task_type_and_name_are_one_task(scraper):
    # from the 6th result on the card says `type: Automatic Speech Recognition` and puts the
    # pipeline tag in `name`: still one task
    results = scraper.collect_model("nvidia/parakeet-rnnt-0.6b").results
    assert {r.task_type for r in results} == {"automatic-speech-recognition"}
    assert len(results) == 9


def test_split_in_metric_name_and_misspelled_rouge(scraper):
    results = scraper.collect_model("philschmid/bart-large-cnn-samsum").results
    first = results[0]
    assert (first.metric, first.dataset_split, first.score) == ("rouge1", "validation", 42.621)
    assert results[3].dataset_split == "test"


def test_listing_pages_through_link_headers(hub, scraper):
    ids = scraper.list_model_ids("text-generation", 7)
    assert ids == hub.model_ids("text-generation") and len(ids) == 6  # all there are
    assert hub.hits["/api/models"] == 3  # pages of 2; the last one has no `next` link


def test_get_popular_models_has_the_seed_shape(hub, scraper):
    models = scraper.get_popular_models(task="text-generation", limit=3)
    assert [m["name"] for m in models] == hub.model_ids("text-generation")[:3]
    first = models[0]
    assert {"name", "downloads", "likes", "tags", "url", "parameters"} <= set(first)
    assert first["downloads"] == 25_000 and first["parameters"] == 7_241_732_096


def test_hub_429_then_success(hub, scraper):
    hub.script("/api/models/deepset/roberta-base-squad2",
               [Reply(429, "", {"Retry-After": "0"})])
    assert len(scraper.collect_model("deepset/roberta-base-squad2").results) == 16  # less "total"
    assert hub.hits["/api/models/deepset/roberta-base-squad2"] == 2


def test_hub_500_forever_is_a_fetch_error(hub, scraper):
    hub.script("/api/models/nvidia/parakeet-rnnt-0.6b", [Reply(500, "down")] * 3)
    with pytest.raises(FetchError, match="parakeet-rnnt-0.6b"):
        scraper.collect_model("nvidia/parakeet-rnnt-0.6b")


def test_unknown_model_is_a_fetch_error(scraper):
    with pytest.raises(FetchError, match="no/such-model"):
        scraper.collect_model("no/such-model")


def test_front_matter_reads_crlf_cards():
    text = (FIXTURES / "model_cards" / "06_rubert-tiny2-russian-emotion-detection.md"
            ).read_bytes().decode()
    assert "\r\n" in text
    assert front_matter(text)["license"] == "mit"
