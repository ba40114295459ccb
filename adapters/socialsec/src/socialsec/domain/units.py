"""Employers on the simulated register: a fixed pool that people are employed by (or were, before
they retired), each with its 单位社保编码 and USCC, and, for any unit by its USCC, its social-security
headcount and how many of them are insured (issue 11's ratio)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Final

from runtime.identity import make_uscc

from .draws import digits, draw

POOL: Final = 500  # distinct employers people are spread over
_PLACES: Final = ("浦江", "申城", "黄浦", "静安", "徐汇", "长宁", "虹口", "杨浦", "闵行", "嘉定", "松江", "临港")
_TRADES: Final = ("科技", "物流", "贸易", "建设", "餐饮", "医药", "机电", "文化", "服装", "信息")
_FORMS: Final = ("有限公司", "股份有限公司", "集团有限公司")


@dataclass(frozen=True)
class Employer:
    name: str
    uscc: str
    code: str  # 单位社保编码: 8 digits, distinct within the pool


@dataclass(frozen=True)
class UnitInsured:
    uscc: str
    headcount: int  # people the unit declares to social security
    insured: int  # of them, insured (参保) this year


def employer(seed: str, index: int) -> Employer:
    i = index % POOL
    name = f"上海{_PLACES[i % len(_PLACES)]}{_TRADES[(i // len(_PLACES)) % len(_TRADES)]}{_FORMS[i % len(_FORMS)]}"
    number = int.from_bytes(hashlib.sha256(f"{seed}\x1femployer\x1f{i}".encode()).digest()[:8], "big")
    # Five seeded digits and the pool index: distinct codes that change with the seed.
    code = digits(seed, 5, "unit_code") + f"{i:03d}"
    return Employer(name=f"{name}（{i + 1:03d}）", uscc=make_uscc(number), code=code)


def employer_of(seed: str, id_number: str) -> Employer:
    return employer(seed, int(draw(seed, "employer", id_number) * POOL))


def unit_insured(seed: str, uscc: str) -> UnitInsured:
    """Headcount 3–300; insured between 60 % and 100 % of it, so both sides of 75 % occur."""
    headcount = 3 + int(draw(seed, "headcount", uscc) * 298)
    insured = round(headcount * (0.6 + 0.4 * draw(seed, "insured", uscc)))
    return UnitInsured(uscc=uscc, headcount=headcount, insured=min(insured, headcount))
