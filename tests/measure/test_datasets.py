"""Datasets by kind: scikit-learn loaders, Parquet/Arrow files, Hugging Face folders, energy."""

from __future__ import annotations

import pytest
from conftest import installed, require

from modelbench.errors import ConfigError
from modelbench.measure.datasets import load_hf_folder, load_sklearn, load_table, split_items
from modelbench.measure.energy import EnergyMeter, energy_report


def test_split_is_seeded_disjoint_and_complete():
    test = split_items(100, split="test", test_size=0.3, seed=7)
    train = split_items(100, split="train", test_size=0.3, seed=7)
    assert len(test) == 30 and not set(test) & set(train)
    assert sorted([*test, *train]) == list(range(100))
    assert split_items(100, split="test", test_size=0.3, seed=7).tolist() == test.tolist()
    assert split_items(100, split="test", test_size=0.3, seed=8).tolist() != test.tolist()
    with pytest.raises(ConfigError):
        split_items(10, split="validation")


def test_sklearn_digits_loads_offline():
    sklearn = pytest.importorskip("sklearn")
    X, y = load_sklearn("load_digits", split="test", seed=0, limit=50)
    full_X, _ = sklearn.datasets.load_digits(return_X_y=True)
    assert X.shape == (50, 64) and len(y) == 50
    assert any((full_X == X[0]).all(axis=1))  # rows come from the real dataset
    with pytest.raises(ConfigError, match="ships offline"):
        load_sklearn("fetch_openml")


def test_parquet_with_star_inputs(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table({"f1": [0.5, 1.5, 2.5, 3.5], "f2": [1, 2, 3, 4], "label": [0, 1, 0, 1]})
    pq.write_table(table, tmp_path / "d.parquet")
    X, y = load_table(tmp_path / "d.parquet", inputs="*", labels="label")
    assert X.tolist() == [[0.5, 1.0], [1.5, 2.0], [2.5, 3.0], [3.5, 4.0]]
    assert y.tolist() == [0, 1, 0, 1]
    X2, _ = load_table(tmp_path / "d.parquet", inputs=["f2"], labels="label", limit=2)
    assert X2.tolist() == [1, 2]
    with pytest.raises(ConfigError, match="no column 'f3'"):
        load_table(tmp_path / "d.parquet", inputs=["f3"], labels="label")


def test_hugging_face_folder_written_by_datasets(tmp_path):
    require(installed("datasets"), "the datasets package", "pip install -e '.[dev]'")
    import datasets

    data = datasets.Dataset.from_dict({"text": ["good", "bad", "fine"], "label": [1, 0, 1]})
    data.save_to_disk(str(tmp_path / "single"))
    X, y = load_hf_folder(tmp_path / "single", labels="label")
    assert list(X) == ["good", "bad", "fine"] and y.tolist() == [1, 0, 1]
    datasets.DatasetDict({"train": data, "test": data.select([1])}).save_to_disk(
        str(tmp_path / "dict"))
    X, y = load_hf_folder(tmp_path / "dict", labels="label", split="test")
    assert list(X) == ["bad"] and y.tolist() == [0]
    with pytest.raises(ConfigError, match="has splits"):
        load_hf_folder(tmp_path / "dict", labels="label", split="validation")


def test_a_parquet_file_written_by_datasets_feeds_a_plan(tmp_path):
    require(installed("datasets"), "the datasets package", "pip install -e '.[dev]'")
    import datasets

    from modelbench.measure.plan import load_dataset, load_plan

    rows = {"a": [float(i) for i in range(8)], "b": [2.0 * i for i in range(8)],
            "label": [i % 2 for i in range(8)]}
    datasets.Dataset.from_dict(rows).to_parquet(str(tmp_path / "hf.parquet"))
    (tmp_path / "plan.toml").write_text(
        '[dataset]\npath = "hf.parquet"\ninputs = "*"\nlabels = "label"\nsplit = "test"\n'
        'test_size = 0.25\nseed = 3\n[[models]]\nname = "m"\ntarget = "builtins:list"\n')
    X, y = load_dataset(load_plan(tmp_path / "plan.toml").dataset)
    assert len(X) == 2 and X.shape[1] == 2  # a seeded quarter, both feature columns
    for (a, b), label in zip(X.tolist(), y.tolist(), strict=True):
        assert b == 2 * a and label == int(a) % 2  # each row kept whole through the split



def _rapl_tree(root, values):
    zone = root / "intel-rapl:0"
    (zone / "intel-rapl:0:0").mkdir(parents=True)  # a sub-zone: not counted twice
    (zone / "max_energy_range_uj").write_text("1000000\n")
    (zone / "intel-rapl:0:0" / "energy_uj").write_text("5\n")
    readings = iter(values)

    def advance():
        (zone / "energy_uj").write_text(f"{next(readings)}\n")
    advance()
    return advance


def test_energy_subtracts_idle_and_counts_a_wrap(tmp_path):
    # A powercap tree laid out as the kernel's (the VMs here expose none): 0.1 W idle.
    advance = _rapl_tree(tmp_path, [900_000, 950_000, 150_000])
    clock = iter([0.0, 0.5, 1.5])
    meter = EnergyMeter(powercap_root=tmp_path, clock=lambda: next(clock))
    assert meter.available and meter.source.startswith("RAPL (1 ")

    def work():
        advance()  # the counter wraps at 1 J: 950000 -> 150000 is 0.2 J
        return 4

    report = energy_report(meter, work, idle_seconds=0.5, sleep=lambda _: advance())
    assert report["idle_watts"] == pytest.approx(0.1)
    assert report["joules"] == pytest.approx(0.2 - 0.1 * 1.0)
    assert report["joules_per_item"] == pytest.approx(0.025)


def test_energy_is_unavailable_here_with_a_reason():
    report = energy_report(EnergyMeter(powercap_root="/nonexistent-powercap"), lambda: 3)
    assert report == {"energy": "unavailable", "reason": report["reason"]}
    assert "no RAPL counters" in report["reason"]
