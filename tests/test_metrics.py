"""modelbench.metrics against scikit-learn (the test-only reference), to 1e-12."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from conftest import IN_CI

from modelbench import metrics
from modelbench.errors import ValidationError

# The reference: skipped where scikit-learn is absent, but a failure under CI=true.
if IN_CI:
    import sklearn.metrics as sk
else:
    sk = pytest.importorskip("sklearn.metrics", reason="pip install scikit-learn")

TOL = 1e-12


def _sk_prf(kind: str, average: str):
    func = {"precision": sk.precision_score, "recall": sk.recall_score, "f1": sk.f1_score}[kind]

    def ref(t, p):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return func(t, p, average=average)

    return ref


REFERENCE = {"accuracy": sk.accuracy_score, "mse": sk.mean_squared_error,
             "mae": sk.mean_absolute_error, "r2": sk.r2_score,
             "rmse": sk.root_mean_squared_error}
for _kind in ("precision", "recall", "f1"):
    REFERENCE[_kind] = _sk_prf(_kind, "binary")
    for _avg in ("micro", "macro", "weighted"):
        REFERENCE[f"{_kind}_{_avg}"] = _sk_prf(_kind, _avg)

MULTICLASS = [n for n in REFERENCE if n.split("_")[0] in ("precision", "recall", "f1")
              and "_" in n] + ["accuracy"]
BINARY = ["precision", "recall", "f1"]


def _label_cases(rng: np.random.Generator):
    """Random multi-class label pairs, including the edge cases the issue names."""
    for _ in range(25):
        n = int(rng.integers(1, 300))
        k = int(rng.integers(1, 12))
        t = rng.integers(0, k, n)
        p = np.where(rng.random(n) < 0.6, t, rng.integers(0, k, n))
        yield t, p
    yield np.array([3, 3, 3]), np.array([3, 3, 3])  # one class only
    yield np.array([0, 1, 2, 2]), np.array([0, 0, 0, 0])  # classes never predicted
    yield np.array([0, 0, 0]), np.array([1, 2, 2])  # predicted classes absent from truth
    yield np.array([5, 70000, 5]), np.array([70000, 70000, -3])  # labels beyond direct codes
    yield np.array(["cat", "dog", "cat"]), np.array(["cat", "cat", "bird"])  # strings
    many = rng.integers(0, 3000, 5000)  # more classes than the matrix path takes
    yield many, np.where(rng.random(5000) < 0.5, many, rng.integers(0, 3000, 5000))
    yield np.array([2, 1, 0], dtype=np.uint8), np.array([2, 2, 0], dtype=np.int16)


@pytest.mark.parametrize("name", MULTICLASS)
def test_multiclass_metrics_agree_with_sklearn(name):
    rng = np.random.default_rng(1)
    for t, p in _label_cases(rng):
        ours = metrics.compute(name, t, p)
        assert abs(ours - REFERENCE[name](t, p)) <= TOL, (name, t.tolist(), p.tolist())


@pytest.mark.parametrize("name", BINARY)
def test_binary_metrics_agree_with_sklearn(name):
    rng = np.random.default_rng(2)
    cases = [(rng.integers(0, 2, n), rng.integers(0, 2, n)) for n in rng.integers(1, 200, 30)]
    cases += [
        (np.array([0, 0, 0]), np.array([0, 0, 0])),  # positive class never appears
        (np.array([1, 1, 1]), np.array([1, 1, 1])),  # one class, the positive one
        (np.array([1, 1, 0]), np.array([0, 0, 0])),  # positive never predicted
        (np.array([0, 0, 0]), np.array([1, 0, 1])),  # positive never true
        (np.array([True, False, True]), np.array([True, True, False])),  # booleans
    ]
    for t, p in cases:
        assert abs(metrics.compute(name, t, p) - REFERENCE[name](t, p)) <= TOL


@pytest.mark.parametrize("name", ["mse", "mae", "rmse", "r2"])
def test_regression_metrics_agree_with_sklearn(name):
    rng = np.random.default_rng(3)
    cases = []
    for _ in range(20):
        n = int(rng.integers(2, 500))
        t = rng.normal(0, rng.uniform(0.1, 100), n)
        cases.append((t, t + rng.normal(0, 1, n)))
    cases.append((np.full(5, 2.0), np.full(5, 2.0)))  # constant truth, exact prediction
    cases.append((np.full(5, 2.0), np.arange(5.0)))  # constant truth, wrong prediction
    cases.append((rng.normal(size=(40, 3)), rng.normal(size=(40, 3))))  # multi-output
    cases.append((np.arange(10), np.arange(10)[::-1]))  # integers
    for t, p in cases:
        assert abs(metrics.compute(name, t, p) - REFERENCE[name](t, p)) <= TOL * max(
            1.0, abs(REFERENCE[name](t, p)))


def test_top_k_accuracy_agrees_with_sklearn_including_ties():
    rng = np.random.default_rng(4)
    for _ in range(20):
        n, c = int(rng.integers(1, 200)), int(rng.integers(3, 20))
        scores = rng.random((n, c))
        if rng.random() < 0.5:
            scores = np.round(scores, 1)  # many ties
        t = rng.integers(0, c, n)
        for k in (1, 2, 5):
            if k >= c:
                continue
            ref = sk.top_k_accuracy_score(t, scores, k=k, labels=np.arange(c))
            assert abs(metrics.compute(f"top{k}_accuracy", t, scores) - ref) <= TOL


def test_exact_match_on_rows_agrees_with_sklearn_subset_accuracy():
    rng = np.random.default_rng(5)
    t = rng.integers(0, 2, (100, 4))
    p = np.where(rng.random((100, 4)) < 0.8, t, 1 - t)
    assert metrics.compute("exact_match", t, p) == sk.accuracy_score(t, p)
    assert metrics.compute("exact_match", ["a b", "c"], ["a b", "c "]) == 0.5


def test_confusion_counts_match_sklearn_confusion_matrix():
    rng = np.random.default_rng(6)
    t, p = rng.integers(0, 7, 1000), rng.integers(0, 7, 1000)
    (tp, pred, true), labels = metrics.confusion_counts(t, p)
    cm = sk.confusion_matrix(t, p, labels=labels)
    assert tp.tolist() == np.diag(cm).tolist()
    assert pred.tolist() == cm.sum(axis=0).tolist()
    assert true.tolist() == cm.sum(axis=1).tolist()


def test_unknown_metric_suggests_close_names():
    with pytest.raises(ValidationError) as info:
        metrics.compute("f1_marco", [1], [1])
    assert "f1_macro" in info.value.hint
    with pytest.raises(ValidationError, match="unknown metric"):
        metrics.get_metric("bleu-ish")


@pytest.mark.parametrize(("t", "p", "message"), [
    ([1, 2, 3], [1, 2], "lengths differ: 3 expected outputs but 2 predictions"),
    ([], [], "empty"),
    ([1.0, float("nan")], [1.0, 2.0], "NaN"),
    ([1.0, 2.0], [1.0, float("inf")], "NaN/inf"),
])
def test_bad_inputs_raise_clear_validation_errors(t, p, message):
    with pytest.raises(ValidationError, match=message):
        metrics.compute("mse", t, p)


def test_binary_name_on_multiclass_labels_points_to_averaged_forms():
    with pytest.raises(ValidationError) as info:
        metrics.compute("f1", [0, 1, 2], [0, 1, 2])
    assert "f1_macro" in info.value.hint


def test_user_callable_is_used_and_checked():
    def within_one(t, p):
        return float(np.mean(np.abs(np.asarray(t) - np.asarray(p)) <= 1))

    assert metrics.compute(within_one, [1, 5, 9], [2, 5, 7]) == pytest.approx(2 / 3)
    with pytest.raises(ValidationError, match="returned nan"):
        metrics.compute(lambda t, p: float("nan"), [1], [1])
    with pytest.raises(ValidationError, match="lengths differ"):
        metrics.compute(within_one, [1, 2], [1])


def test_direction_of_metrics():
    assert metrics.higher_is_better("accuracy") and metrics.higher_is_better("r2")
    assert not any(metrics.higher_is_better(n) for n in ("mse", "mae", "rmse"))

    def loss(t, p):
        return 0.0

    loss.higher_is_better = False
    assert not metrics.higher_is_better(loss)


def test_large_label_arrays_are_counted_in_chunks_and_stay_exact():
    rng = np.random.default_rng(7)
    n = 3 * (1 << 18) + 123  # several chunks and a ragged last one
    t = rng.integers(0, 100, n)
    p = np.where(rng.random(n) < 0.7, t, rng.integers(0, 100, n))
    assert abs(metrics.compute("f1_macro", t, p) - REFERENCE["f1_macro"](t, p)) <= TOL
    assert metrics.compute("accuracy", t, p) == REFERENCE["accuracy"](t, p)


def test_published_metric_names_meet_measured_ones():
    from modelbench.metrics import canonical_name, metric_names

    for name in metric_names():  # every name computed here is its own canonical form ...
        assert canonical_name(name) == (name if name != "top1_accuracy" else "accuracy")
    # ... except top-1 accuracy, which is accuracy under any spelling
    assert canonical_name("Top-1 Accuracy") == canonical_name("ACC") == "accuracy"
    assert canonical_name("Top 5 Accuracy") == "top5_accuracy"
    assert canonical_name("F1 Score") == "f1" and canonical_name("Exact Match") == "exact_match"
    assert canonical_name("Macro-F1") == "f1_macro"
    assert canonical_name("ROUGE-L") == canonical_name("rouge_l") == "rougel"
    # one convention for the ROUGE family: the compact names, whatever the spelling
    assert {canonical_name(n) for n in ("ROUGE-1", "rouge_1", "Rouge 1", "rouge1")} == {"rouge1"}
    assert canonical_name("ROUGE-Lsum") == canonical_name("rouge_lsum") == "rougelsum"
    # a percent after a number is part of the name: P@10% is not P@10
    assert canonical_name("P@10%") == "p@10%" != canonical_name("P@10")
    assert canonical_name("% Resolved") == canonical_name("Resolved (%)") == "resolved"
    assert canonical_name("Human-Eval Score") == "human-eval score"  # unknown: its words


def test_registry_knows_direction_bounds_and_kind():
    from modelbench.metrics import info

    assert info("Mean Squared Error").name == "mse" and not info("mse").higher_is_better
    assert info("Top-1 Accuracy") == info("accuracy")
    assert (info("accuracy").lower, info("accuracy").upper, info("accuracy").scale) == (
        0.0, 1.0, "fraction")
    for name in ("Number of params", "GFLOPs", "#Params (M)", "Model size (MB)"):
        assert info(name).kind == "property" and not info(name).ranked, name
    assert info("latency_ms").kind == "cost" and not info("latency_ms").higher_is_better
    for name in ("accuracy", "f1_macro", "mse", "wer", "perplexity"):
        assert not info(name).guessed, name


def test_unknown_names_get_a_guessed_direction_from_their_words():
    from modelbench.metrics import info

    assert info("Validation NLL loss").direction == "lower" and info("Validation NLL loss").guessed
    assert info("Human-Eval Score").direction == "higher" and info("Human-Eval Score").guessed
    assert info("Inference time (s)").kind == "cost" and info("Inference time (s)").guessed
    assert info("Frames per second (FPS)").direction == "higher"
    assert info("Balanced F1 (ours)").scale == "fraction"


def test_canonical_value_brings_percent_and_fraction_to_one_scale():
    from modelbench.metrics import canonical_value, range_flag

    assert canonical_value("accuracy", 97.2)[0] == 0.972
    assert canonical_value("accuracy", 0.9778) == (0.9778, "")
    value, rule = canonical_value("f1", 0.5, "0.5%")  # a percent sign is believed
    assert value == 0.005 and "printed with %" in rule
    assert canonical_value("mse", 97.2) == (97.2, "")  # unbounded metrics stay raw
    # WER has no upper bound (it may pass 100 %) but is published as a percent: 12.5 is 12.5 %
    assert canonical_value("wer", 12.5)[0] == 0.125 and range_flag("wer", 1.2) == ""
    assert canonical_value("wer", 12.5, "12.5 %")[0] == 0.125
    assert canonical_value("accuracy", 250.0) == (250.0, "")
    assert range_flag("accuracy", 250.0) == "out of range"
    assert range_flag("r2", -3.0) == ""  # r2 has no lower bound
    assert canonical_value("parameters", 6.6, printed_name="Params (M)")[0] == 6.6e6
    assert canonical_value("parameters", 66e6, printed_name="Params (M)")[0] == 66e6


def test_a_built_in_metric_that_overflows_is_a_named_error():
    from modelbench.errors import MetricValueError

    with pytest.raises(MetricValueError) as caught:
        metrics.compute("mse", [1e200, 2e200], [0.0, 0.0])
    assert caught.value.metric == "mse" and caught.value.value == float("inf")


def test_an_overflowing_metric_makes_that_models_result_an_error_and_comparing_goes_on():
    from modelbench import ModelBenchmark, get_database_manager

    db = get_database_manager("sqlite", path=":memory:")
    bench = ModelBenchmark(db_manager=db, min_time=0.01, max_time=0.1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # numpy's overflow notice
        out = bench.compare_models(
            [{"name": "zeros", "function": lambda xs: [0.0 for _ in xs]},
             {"name": "exact", "function": lambda xs: list(xs)}],
            metric="mse", inputs=[1e200, 2e200], expected_outputs=[1e200, 2e200])
    status = {r["model_name"]: (r["status"], r["error_message"]) for r in out["results"]}
    assert status["exact"] == ("ok", "")
    assert status["zeros"][0] == "error" and "mse" in status["zeros"][1]
    assert db.count_results() == 2  # both kept: the failure is a recorded result
