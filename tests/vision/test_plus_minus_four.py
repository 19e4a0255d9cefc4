"""A small "±s" set tight after the mean (SAGM's DomainBed table at 846 px): the sign read as a
'4' glued between the numbers, or the spread split off into a column of its own. These run on
cells as the OCR left them (read off the real image, tests/vision/fixtures/real/
sagm_domainbed_table.png, where the whole table is scored in test_real_thirteenth.py)."""

from __future__ import annotations

from modelbench.vision.table_image import (
    TableCell,
    _fold_spread_column,
    _lost_spreads_doubtful,
    _parse_into,
    _plus_minus_read_as_four,
)


def _row(r: int, *texts: str, confidence: float = 0.9) -> list[TableCell]:
    cells = []
    for c, text in enumerate(texts):
        cell = TableCell(text, r, c, (0, 0, 1, 1), confidence)
        if c:
            _parse_into(cell)
        cells.append(cell)
    return cells


def test_a_four_between_value_and_spread_is_the_plus_minus():
    body = [_row(0, "MTL", "84.640.5", "77.2 ± 0.4", "66.4 ± 0.5"),
            _row(1, "ERM", "85.5 ± 40.2", "77.340.4", "45.141.3"),
            _row(2, "Fish", "85.5 ± 0.3", "77.8 ± 0.3", "42.74-0.2")]
    assert _plus_minus_read_as_four(body, {1, 2, 3})
    assert [c.text for c in body[0][1:]] == ["84.6 ± 0.5", "77.2 ± 0.4", "66.4 ± 0.5"]
    assert [c.text for c in body[1][1:]] == ["85.5 ± 0.2", "77.3 ± 0.4", "45.1 ± 1.3"]
    assert body[2][3].text == "42.7 ± 0.2"
    assert body[1][2].parsed.plus_minus == 0.4
    assert body[1][2].confidence <= 0.5 and body[0][2].confidence == 0.9  # guessed ones only


def test_no_split_without_a_table_of_spreads():
    """Four-glued numbers alone ("2024.05.1", a version) are not a "±" read as a 4."""
    body = [_row(0, "a", "84.640.5", "12.5"), _row(1, "b", "77.340.4", "13.0")]
    assert not _plus_minus_read_as_four(body, {1, 2})
    assert body[0][1].text == "84.640.5"


def test_a_split_off_spread_column_is_folded_back():
    header = [_row(0, "Algorithm", "OfficeHome", "", "TerraInc")]
    header[0][1].colspan = 2
    body = [_row(0, "MMD", "66.3 ± 0.1", "+0.1", "42.2 ± 1.6"),
            _row(1, "CDANN", "65.8", "41.3", "45.8 ± 1.6"),
            _row(2, "ARM", "64.8", "+0.3", "45.5 ± 0.3"),
            _row(3, "VREx", "66.4 ± 0.6", "+0.6", "46.4 ± 0.6"),
            _row(4, "DANN", "65.9 ± 0.6", "0.6", "46.7 ± 0.5")]
    header, body = _lost_spreads_doubtful(header, body, {1, 2, 3})
    assert [c.text for c in body[1]] == ["CDANN", "65.8 ± 1.3", "45.8 ± 1.6"]
    assert body[2][1].parsed.plus_minus == 0.3 and body[2][1].confidence <= 0.5
    assert [c.col for c in body[0]] == [0, 1, 2]
    assert header[0][1].colspan == 1 and header[0][2].text == "TerraInc"


def test_a_column_of_deltas_is_not_a_spread():
    """"+1.2" beside "a ± b" cells whose spreads differ is a column of its own."""
    header = [_row(0, "Model", "Acc", "Gain")]
    body = [_row(0, "A", "66.3 ± 0.1", "+1.2"), _row(1, "B", "65.8 ± 0.4", "+0.5"),
            _row(2, "C", "64.8 ± 0.2", "+2.0")]
    _fold_spread_column(header, body, 1)
    assert [c.text for c in body[0]] == ["A", "66.3 ± 0.1", "+1.2"]
