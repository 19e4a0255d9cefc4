"""The one number parser, on the shapes published results really take."""

import math

import pytest

from modelbench.numbers import parse_number, to_float


@pytest.mark.parametrize(
    ("text", "value", "percent", "pm", "marker"),
    [
        ("71.2%", 71.2, True, None, ""),
        ("88.5 ± 0.3", 88.5, False, 0.3, ""),
        ("88.5±0.3", 88.5, False, 0.3, ""),
        ("88.5 +/- 0.3", 88.5, False, 0.3, ""),
        ("1.2k", 1200.0, False, None, ""),
        ("12.5M", 12_500_000.0, False, None, ""),
        ("7B", 7e9, False, None, ""),
        ("86.1*", 86.1, False, None, "*"),
        ("72.0†", 72.0, False, None, "†"),
        ("0,912", 0.912, False, None, ""),  # decimal comma, as in a real model card
        ("1,234,567", 1234567.0, False, None, ""),
        ("|0.219", 0.219, False, None, ""),  # a table rule glued to the number by OCR
        ("−2.1", -2.1, False, None, ""),  # Unicode minus
        ("-3.5", -3.5, False, None, ""),
        ("75.1 (+2.3)", 75.1, False, None, ""),
        ("1e-3", 0.001, False, None, ""),
        (".5", 0.5, False, None, ""),
        ("2.26 ± .19", 2.26, False, 0.19, ""),  # LaTeX tables drop the spread's zero
        (".250 ± .06", 0.25, False, 0.06, ""),
        ("  73.8% ", 73.8, True, None, ""),
        (11869, 11869.0, False, None, ""),
        (0.25, 0.25, False, None, ""),
    ],
)
def test_parses_published_shapes(text, value, percent, pm, marker):
    parsed = parse_number(text)
    assert parsed is not None
    assert math.isclose(parsed.value, value, rel_tol=1e-12)
    assert parsed.percent is percent
    assert parsed.plus_minus == pm
    assert parsed.marker == marker


@pytest.mark.parametrize("text", ["—", "-", "–", "/", "", "n/a", "N/A", "xx.xx", None,
                                  float("nan")])
def test_missing_markers_are_none(text):
    assert parse_number(text) is None


@pytest.mark.parametrize("text", ["GPT-4", "abc", "Llama 2", "1.2.3", True])
def test_non_numbers_raise(text):
    with pytest.raises(ValueError, match="not a number"):
        parse_number(text)


def test_to_float_never_raises():
    assert to_float("86.1*") == 86.1
    assert to_float("GPT-4") is None
    assert to_float("—") is None


@pytest.mark.parametrize("text,value,marker", [("3,071.4", 3071.4, ""), ("13,031.2", 13031.2, ""),
                                               ("5.64×", 5.64, "×"), ("1.30x", 1.30, "x")])
def test_thousands_with_decimals_and_times_suffix(text, value, marker):
    # printed in a real LaTeX table (flash-fft-conv's benchmark): both used to raise
    parsed = parse_number(text)
    assert parsed.value == value and parsed.marker == marker


@pytest.mark.parametrize("text", ["1e400", "-1e400", "1e306k", float("inf")])
def test_overflow_is_not_a_number(text):
    # inf would be refused later by validation, taking its whole batch with it
    with pytest.raises(ValueError, match="finite"):
        parse_number(text)
    assert to_float(text) is None


@pytest.mark.parametrize("text,value,marker", [("33µs", 33.0, "µs"), ("97μs", 97.0, "μs"),
                                               ("2.9ms", 2.9, "ms")])
def test_microsecond_units_are_a_marker(text, value, marker):
    # printed in a real web table (snapconfig's benchmark, "33µs" beside "2.9ms"): the micro
    # sign (U+00B5) and Greek mu (U+03BC) raised while "ms" parsed; no unit is converted
    parsed = parse_number(text)
    assert parsed.value == value and parsed.marker == marker
