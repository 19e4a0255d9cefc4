"""PyTorch and Transformers targets on models built here: a tiny ``nn.Module`` (as a factory,
a TorchScript file and a ``torch.export`` file) and a tiny BERT classifier made from a config
with random weights and a five-word vocabulary, saved to a temporary folder. Nothing is
downloaded (``HF_HUB_OFFLINE=1``); both runtimes come with ``pip install -e '.[dev]'``
(torch==2.13.0 is the CPU wheel on the CI machine's disk).
"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import installed, require

from modelbench.errors import ConfigError
from modelbench.measure.targets import ModelTarget

ITEMS = np.random.default_rng(0).normal(size=(12, 4)).astype(np.float32)


@pytest.fixture(scope="module")
def torch():
    require(installed("torch"), "PyTorch", "pip install -e '.[dev]'")
    import torch

    return torch


@pytest.fixture
def module(torch, models_on_path):
    return models_on_path.tiny_torch_classifier()


def _reference(torch, module):
    with torch.inference_mode():
        return module(torch.as_tensor(ITEMS)).numpy()


def test_torch_factory_target_gives_the_modules_answers(torch, module):
    target = ModelTarget("torch", {"factory": "mb_models:tiny_torch_classifier"})
    np.testing.assert_array_equal(target.load()(ITEMS), _reference(torch, module))
    assert target.info["runtime_version"] == torch.__version__
    assert target.info["device"] == "cpu" and target.info["dtype"] == "float32"


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # torch.jit: still what people have
def test_torchscript_and_export_files_load_and_agree(torch, module, tmp_path):
    torch.jit.script(module).save(str(tmp_path / "m.pt"))
    torch.export.save(torch.export.export(module, (torch.as_tensor(ITEMS),)),
                      str(tmp_path / "m.pt2"))
    expected = _reference(torch, module)
    for name in ("m.pt", "m.pt2"):
        got = ModelTarget("torch", {"path": str(tmp_path / name)}).load()(ITEMS)
        np.testing.assert_array_equal(got, expected)


def test_bfloat16_runs_and_returns_numbers(torch, models_on_path):
    target = ModelTarget("torch", {"factory": "mb_models:tiny_torch_classifier",
                                   "dtype": "bfloat16"}).load()
    assert target(ITEMS).shape == (12,) and target.info["dtype"] == "bfloat16"


def test_cuda_without_a_gpu_says_what_is_missing(torch):
    if torch.cuda.is_available():
        pytest.skip("this machine has a CUDA GPU")
    target = ModelTarget("torch", {"factory": "mb_models:tiny_torch_classifier",
                                   "device": "cuda"})
    with pytest.raises(ConfigError) as info:
        target.check_here()
    missing = "CPU-only build" if torch.version.cuda is None else "no CUDA GPU is visible"
    assert missing in info.value.message and "'cuda'" in info.value.message
    with pytest.raises(ConfigError, match="dtype"):
        ModelTarget("torch", {"factory": "x:y", "dtype": "int4"}).check_here()


def test_a_dtype_sweep_in_child_processes_records_each_value(torch, models_on_path, tmp_path):
    from modelbench.measure.plan import load_plan, run_plan

    labels = _reference(torch, models_on_path.tiny_torch_classifier())
    np.save(tmp_path / "x.npy", ITEMS)
    np.save(tmp_path / "y.npy", labels)
    (tmp_path / "plan.toml").write_text(f"""
[run]
task_type = "classification"
dtype = ["float32", "bfloat16"]
device = ["cpu"]
python_path = ["{models_on_path.__file__.rsplit('/', 1)[0]}"]
[dataset]
path = "x.npy"
labels_path = "y.npy"
[timing]
runs = 2
min_time = 0.01
min_calls = 3
warmup_time = 0
[[models]]
name = "tiny"
kind = "torch"
factory = "mb_models:tiny_torch_classifier"
""")
    outcome = run_plan(load_plan(tmp_path / "plan.toml"))
    rows = outcome["results"]
    assert [r["status"] for r in rows] == ["ok", "ok"], [r["error_message"] for r in rows]
    assert [r["params"] for r in rows] == [{"device": "cpu", "dtype": "float32"},
                                           {"device": "cpu", "dtype": "bfloat16"}]
    assert [r["extra"]["runtime"]["dtype"] for r in rows] == ["float32", "bfloat16"]
    assert len({r["cell_key"] for r in rows}) == 2
    assert rows[0]["score"] == 1.0  # float32 in a child reproduces the module exactly


# -- transformers ---------------------------------------------------------------------------
WORDS = ["good", "bad", "film", "plot", "great"]


@pytest.fixture(scope="module")
def bert_folder(torch, tmp_path_factory):
    require(installed("transformers"), "Transformers", "pip install -e '.[dev]'")
    from transformers import BertConfig, BertForSequenceClassification, BertTokenizerFast

    folder = tmp_path_factory.mktemp("tiny-bert")
    vocab = folder / "vocab.txt"
    vocab.write_text("\n".join(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *WORDS]) + "\n")
    tokenizer = BertTokenizerFast(vocab_file=str(vocab))
    torch.manual_seed(0)
    config = BertConfig(vocab_size=len(WORDS) + 5, hidden_size=16, num_hidden_layers=1,
                        num_attention_heads=2, intermediate_size=32, num_labels=2,
                        max_position_embeddings=32)
    BertForSequenceClassification(config).eval().save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


def test_transformers_pipeline_from_a_local_folder_gives_labels(bert_folder, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    from transformers import pipeline

    texts = ["good film", "bad plot", "great great film"]
    target = ModelTarget("transformers", {"path": str(bert_folder),
                                          "task": "text-classification"}).load()
    bare = pipeline("text-classification", model=str(bert_folder))
    assert target(texts) == [r["label"] for r in bare(texts)]
    assert set(target(texts)) <= {"LABEL_0", "LABEL_1"}
    assert target.info["device"] == "cpu" and target.info["dtype"] == "float32"
    scores = ModelTarget("transformers", {"path": str(bert_folder), "output": "score",
                                          "task": "text-classification"}).load()(texts)
    np.testing.assert_allclose(scores, [r["score"] for r in bare(texts)], rtol=1e-5)


def test_transformers_mistakes_are_named(bert_folder, tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(ConfigError, match="needs a task"):
        ModelTarget("transformers", {"path": str(bert_folder)}).load()
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(ConfigError, match="cannot load the transformers model"):
        ModelTarget("transformers", {"path": str(empty), "task": "text-classification"}).load()
