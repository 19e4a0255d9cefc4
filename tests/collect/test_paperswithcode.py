"""Papers with Code: streamed archive dump (nested subtasks), the API, saved pages."""

from __future__ import annotations

import gzip
import json

import pytest

from modelbench.collect import PapersWithCodeScraper, PaperWithCodeScraper
from modelbench.collect.outcome import Outcome
from modelbench.collect.paperswithcode import check_dump, dump_records, iter_dump_rows
from modelbench.errors import ExtractionError, FetchError

from .conftest import PWC_PAGE_JSON, STATIC_BOARD

DUMP = [
    {"task": "Image Classification", "description": "", "categories": ["Computer Vision"],
     "datasets": [
         {"dataset": "ImageNet", "description": "",
          "sota": {"metrics": ["Top 1 Accuracy", "Number of params"], "rows": [
              {"model_name": "CoCa", "paper_title": "CoCa: Contrastive Captioners",
               "paper_url": "https://arxiv.org/abs/2205.01917", "paper_date": "2022-05-04",
               "code_links": [{"title": "lucidrains/CoCa-pytorch",
                               "url": "https://github.com/lucidrains/CoCa-pytorch"}],
               "metrics": {"Top 1 Accuracy": "91.0%", "Number of params": "2100M"},
               "uses_additional_data": True, "model_links": []},
              {"model_name": "ResNet-50", "paper_title": "Deep Residual Learning",
               "paper_url": "https://arxiv.org/abs/1512.03385", "paper_date": "2015-12-10",
               "code_links": [], "metrics": {"Top 1 Accuracy": "76.1", "Top-5 Acc.": "—",
                                             "Notes": "see paper"}}]},
          "subdatasets": [
              {"dataset": "ImageNet ReaL", "sota": {"metrics": ["Accuracy"], "rows": [
                  {"model_name": "Meta Pseudo Labels", "metrics": {"Accuracy": "91.02"},
                   "paper_url": "https://arxiv.org/abs/2003.10580", "code_links": []}]},
               "subdatasets": []}]}],
     "subtasks": [
         # key order differs here: rows come before the dataset and task names
         {"datasets": [{"sota": {"rows": [
             {"model_name": "TransFG", "metrics": {"Accuracy": 91.7},
              "paper_url": "https://arxiv.org/abs/2103.07976"}]}, "dataset": "CUB-200-2011"}],
          "subtasks": [], "task": "Fine-Grained Image Classification"}],
     "synonyms": [], "source_link": None},
    {"task": "Question Answering", "datasets": [{"dataset": "SQuAD1.1", "sota": {"rows": [
        {"model_name": "BERT-Large", "metrics": {"EM": "84.1", "F1": "90.9 ± 0.2"},
         "paper_url": "https://arxiv.org/abs/1810.04805"}]}, "subdatasets": []}],
     "subtasks": []},
]


@pytest.fixture
def dump_file(tmp_path):
    path = tmp_path / "evaluation-tables.json.gz"
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        json.dump(DUMP, handle)
    return path


def test_dump_rows_carry_nested_task_and_dataset(dump_file):
    rows = [(r.tasks, r.datasets, r.row["model_name"]) for r in iter_dump_rows(dump_file)]
    assert rows == [
        (("Image Classification",), ("ImageNet",), "CoCa"),
        (("Image Classification",), ("ImageNet",), "ResNet-50"),
        (("Image Classification",), ("ImageNet", "ImageNet ReaL"), "Meta Pseudo Labels"),
        (("Image Classification", "Fine-Grained Image Classification"), ("CUB-200-2011",),
         "TransFG"),
        (("Question Answering",), ("SQuAD1.1",), "BERT-Large"),
    ]


def test_dump_records(dump_file):
    stats, outcome = {}, Outcome()
    records = list(dump_records(dump_file, stats=stats, outcome=outcome))
    # "see paper" is not a number; the parameter count is CoCa's, not a result
    assert stats == {"rows": 5, "results": 6, "unparsed": 1, "duplicates": 0}
    assert outcome.unreadable == ["ResNet-50 on ImageNet Notes: 'see paper' is not a number"]
    (coca_meta,) = outcome.metadata
    assert coca_meta.model_name == "CoCa" and coca_meta.parameters == 2_100_000_000
    by = {(r.model_name, r.metric): r for r in records}
    coca = by[("CoCa", "accuracy")]
    assert coca.score == 91.0 and coca.extra["percent"] and coca.task_type == "image-classification"
    assert coca.dataset == "ImageNet" and coca.source == "paperswithcode"
    assert coca.source_url == "https://arxiv.org/abs/2205.01917"
    assert coca.extra["code_links"] == ["https://github.com/lucidrains/CoCa-pytorch"]
    assert ("CoCa", "number of params") not in by
    real = by[("Meta Pseudo Labels", "accuracy")]
    assert real.dataset == "ImageNet ReaL" and real.extra["parent_datasets"] == ["ImageNet"]
    fine = by[("TransFG", "accuracy")]
    assert fine.task_type == "fine-grained-image-classification"
    assert fine.extra["parent_tasks"] == ["Image Classification"] and fine.score == 91.7
    assert by[("BERT-Large", "f1")].extra["plus_minus"] == 0.2
    assert all(r.extraction_method == "pwc-dump" and r.collected_at for r in records)


def test_plain_json_dump_and_truncated_dump(tmp_path):
    plain = tmp_path / "evaluation-tables.json"
    text = json.dumps(DUMP)
    plain.write_text(text)
    check_dump(plain)
    assert len(list(iter_dump_rows(plain))) == 5
    broken = tmp_path / "truncated.json"
    broken.write_text(text[: len(text) // 2])
    with pytest.raises(ExtractionError, match=r"not valid JSON \(parse error: premature EOF\)"):
        check_dump(broken)
    with pytest.raises(ExtractionError, match=r"not valid JSON after \d+ rows"):
        list(iter_dump_rows(broken))
    not_dump = tmp_path / "object.json"
    not_dump.write_text('{"task": "x"}')
    with pytest.raises(ExtractionError, match="not a Papers with Code dump"):
        check_dump(not_dump)
    with pytest.raises(ExtractionError, match="does not exist"):
        check_dump(tmp_path / "missing.json")


def test_api_reads_the_real_shape_tables_results_metrics_tasks(pwc_api):
    with PapersWithCodeScraper(pwc_api.url, cache=False, rate_per_host=None) as pwc:
        datasets = pwc.search_datasets("")
        assert [d["id"] for d in datasets] == ["imagenet", "imagenet-real", "cifar-10"]
        assert pwc_api.hits["/api/v1/datasets/"] == 2  # two pages of two
        outcome = pwc.dataset_outcome(datasets[0])
    records = outcome.results
    table = "/api/v1/evaluations/image-classification-on-imagenet"
    assert pwc_api.hits[f"{table}/results/"] == 2  # three rows, pages of two
    assert pwc_api.hits[f"{table}/metrics/"] == 1
    assert pwc_api.hits["/api/v1/tasks/image-classification/"] == 1
    got = {(r.model_name, r.metric): r.score for r in records}
    assert got == {("CoCa (finetuned)", "accuracy"): 91.0, ("ViT-H/14", "accuracy"): 88.55,
                   ("ResNet-50", "accuracy"): 76.1}  # the model is the row's methodology
    (coca,) = outcome.metadata  # "Number of params" is CoCa's size, not a result
    assert coca.model_name == "CoCa (finetuned)" and coca.parameters == 2_100_000_000
    vit = next(r for r in records if r.model_name == "ViT-H/14")
    assert vit.extra["plus_minus"] == 0.04 and vit.extra["is_loss"] is False
    assert vit.source_url == f"{pwc_api.url}/paper/an-image-is-worth-16x16-words-transformers-1"
    assert vit.task_type == "image-classification" and vit.dataset == "ImageNet"
    assert vit.extraction_method == "pwc-api" and vit.extra["evaluation_date"] == "2020-10-22"


def test_api_malformed_json_and_missing_base_url(pwc_api):
    with PaperWithCodeScraper(pwc_api.url, cache=False, rate_per_host=None) as pwc:
        (broken,) = pwc.search_datasets("broken")
        with pytest.raises(FetchError, match="did not return valid JSON"):
            pwc.dataset_evaluations(broken)
    with PapersWithCodeScraper("", cache=False) as pwc, pytest.raises(FetchError, match="--api"):
        pwc.search_datasets("x")


def test_saved_page_with_embedded_json(tmp_path):
    page = tmp_path / "imagenet.html"
    page.write_text(PWC_PAGE_JSON)
    with PapersWithCodeScraper(cache=False) as pwc:
        records = pwc.page(str(page))
    assert [(r.model_name, r.metric, r.score) for r in records] == [
        ("CoCa (finetuned)", "accuracy", 91.0), ("ViT-G/14", "accuracy", 90.45)]
    assert records[0].extra["metric_name"] == "Top 1 Accuracy"  # as printed, for provenance
    assert records[0].dataset == "ImageNet" and records[0].task_type == "image-classification"
    assert records[0].extraction_method == "pwc-page-json"


def test_saved_page_over_http_and_table_fallback(pages, tmp_path):
    with PapersWithCodeScraper(cache=False, rate_per_host=None) as pwc:
        records = pwc.page(f"{pages.url}/pwc/imagenet.html")
        assert records[0].extra["paper_url"] == f"{pages.url}/paper/coca"
        page = tmp_path / "table.html"
        page.write_text(STATIC_BOARD)
        table_records = pwc.page(str(page), dataset="SQuAD", task="Question Answering")
    assert len(table_records) == 6 and table_records[0].extraction_method == "pwc-page-table"
    assert table_records[0].task_type == "question-answering"
