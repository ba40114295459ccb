"""Premium and its split (保障费用: 市总统一划拨 / 区局/各级工会 / 基层单位), per person and in total, in fen.

A split must add up to the premium exactly: A类 26 元 = 13 + 13 + 0, A+类 76 元 = 13 + 63 + 0.
District unions may move the non-city part between themselves and their grassroots units; what the
city allocates stays what the city set.
"""

from __future__ import annotations

from dataclasses import dataclass

from runtime.errors import InvalidInput
from runtime.money import fen_to_yuan_str


@dataclass(frozen=True)
class Split:
    """Per person, in fen."""

    city_fen: int
    district_fen: int
    grassroots_fen: int

    @property
    def total_fen(self) -> int:
        return self.city_fen + self.district_fen + self.grassroots_fen


@dataclass(frozen=True)
class Amounts:
    """A total and its split, in fen."""

    amount_fen: int = 0
    city_fen: int = 0
    district_fen: int = 0
    grassroots_fen: int = 0

    def __add__(self, other: Amounts) -> Amounts:
        return Amounts(
            self.amount_fen + other.amount_fen,
            self.city_fen + other.city_fen,
            self.district_fen + other.district_fen,
            self.grassroots_fen + other.grassroots_fen,
        )


def check_split(premium_fen: int, split: Split) -> Split:
    """The city's configuration of a guarantee type: a positive premium split exactly, no negative share."""
    if premium_fen <= 0:
        raise InvalidInput("type.premium_invalid", "参保费用必须大于0")
    if min(split.city_fen, split.district_fen, split.grassroots_fen) < 0:
        raise InvalidInput("split.negative", "分摊金额不能为负数")
    if split.total_fen != premium_fen:
        raise InvalidInput(
            "split.not_adding_up",
            f"市总统一划拨、区局/各级工会缴纳、基层单位缴纳之和（{fen_to_yuan_str(split.total_fen)}元）"
            f"必须等于参保费用（{fen_to_yuan_str(premium_fen)}元）",
            premium_fen=premium_fen,
            total_fen=split.total_fen,
        )
    return split


def district_split(premium_fen: int, default: Split, district_fen: int, grassroots_fen: int) -> Split:
    """A district's 保障金额设置: the city share stays; district + grassroots must make up the rest."""
    return check_split(premium_fen, Split(default.city_fen, district_fen, grassroots_fen))


def amounts(per_person: Split, persons: int) -> Amounts:
    """Totals for `persons` people: every share is a whole number of fen per person, so totals are exact."""
    if persons < 0:
        raise ValueError("persons must not be negative")
    return Amounts(
        per_person.total_fen * persons,
        per_person.city_fen * persons,
        per_person.district_fen * persons,
        per_person.grassroots_fen * persons,
    )


def scaled(per_person: Split, premium_fen: int) -> Split:
    """The split of a different premium (a half-year price): city and district shares in proportion,
    rounded down to the fen; the grassroots unit pays what remains, so the shares still add up."""
    if premium_fen == per_person.total_fen or per_person.total_fen == 0:
        return per_person
    city = per_person.city_fen * premium_fen // per_person.total_fen
    district = per_person.district_fen * premium_fen // per_person.total_fen
    return Split(city, district, premium_fen - city - district)
