from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from runtime.money import fen_to_decimal, fen_to_yuan_str, yuan_to_fen


def test_manual_refund_figure() -> None:
    # Paid 2,000 yuan, owed 1,220 yuan -> refund 780 yuan.
    refund = yuan_to_fen("2,000") - yuan_to_fen("1220.00")
    assert refund == 78000
    assert fen_to_yuan_str(refund) == "780.00"


def test_manual_class_a_split() -> None:
    # A类 26 yuan splits 13 + 13 + 0.
    assert yuan_to_fen(26) == 2600
    assert yuan_to_fen("13") + yuan_to_fen(Decimal("13")) + yuan_to_fen("0") == 2600


@pytest.mark.parametrize(
    ("value", "fen"),
    [
        ("0", 0),
        ("0.5", 50),
        ("0.05", 5),
        ("1,220.00", 122000),
        ("1234567.89", 123456789),
        (" -3.10 ", -310),
        ("+7", 700),
        (Decimal("12.34"), 1234),
        (Decimal("1E+3"), 100000),
        (Decimal("1.230"), 123),  # extra zeros are still a whole number of fen
        (-5, -500),
        (10**30, 10**32),  # no precision loss for huge amounts
        (Decimal("123456789012345678901234567890.12"), 12345678901234567890123456789012),
    ],
)
def test_yuan_to_fen(value: str | int | Decimal, fen: int) -> None:
    assert yuan_to_fen(value) == fen


@pytest.mark.parametrize(
    "value",
    ["1.234", "0.001", Decimal("0.005"), "", "abc", "1e3", "1,22", "12,34.00", "1.", ".5", "NaN", "１２"],
)
def test_yuan_to_fen_rejects(value: str | Decimal) -> None:
    with pytest.raises(ValueError):
        yuan_to_fen(value)


@pytest.mark.parametrize("value", [1.5, 0.1, True, Decimal("NaN"), Decimal("Infinity")])
def test_yuan_to_fen_rejects_floats_bools_non_finite(value: object) -> None:
    with pytest.raises(ValueError):
        yuan_to_fen(value)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("fen", "text"),
    [
        (0, "0.00"),
        (5, "0.05"),
        (78000, "780.00"),
        (122000, "1,220.00"),
        (123456789, "1,234,567.89"),
        (-5, "-0.05"),
    ],
)
def test_fen_to_yuan_str(fen: int, text: str) -> None:
    assert fen_to_yuan_str(fen) == text


def test_fen_to_decimal() -> None:
    assert fen_to_decimal(122000) == Decimal("1220.00")
    assert str(fen_to_decimal(122000)) == "1220.00"
    assert str(fen_to_decimal(0)) == "0.00"
    assert str(fen_to_decimal(-5)) == "-0.05"


def test_fen_functions_reject_non_int() -> None:
    with pytest.raises(TypeError):
        fen_to_yuan_str(1.0)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        fen_to_decimal(True)


@given(st.integers(min_value=-(10**20), max_value=10**20))
def test_round_trips(fen: int) -> None:
    assert yuan_to_fen(fen_to_yuan_str(fen)) == fen
    assert yuan_to_fen(fen_to_decimal(fen)) == fen
    assert fen_to_decimal(fen) * 100 == fen
