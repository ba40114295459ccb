"""保障项目 — manual 002, 二(四) 保障项目选择 and 三 4. (即时参保的保障项目选择).

Three lines, each with a basic layer and three plus layers: A 在职住院 (A0; A1–A3), B 特种重病 (B0;
B1–B3), C 意外伤害 (C0; C1–C3). The code says where an item sits: its letter is the line, 0 the
basic layer. Prices (全年 and 半年 标准), waiting periods, who may hold an item and the A0+B0+C0 discount
are the programme-year's data (`Catalogue`).

选择规则 (the unit chooses once per batch; every person gets the chosen items they may hold):
- "A0、B0、C0至少选1种";
- "A1、A2、A3至多选1种", the same for B and C;
- "参保单位在参保“基本保障项目” A0、B0或C0的基础上可参保“加强保障项目”" — a plus item rests on *a*
  basic item, not on its own line's: A1–A3 are open to people outside 职保 (参保对象), who cannot
  hold A0;
- "每个保障项目只能参保一份";
- A0 only for people in the employee medical insurance (属于“职保”保障范围的在职职工, 是否有社保 = 是);
- "同时参保A0、B0、C0保障项目，且保障期大于半年，总费用优惠10元/人" (190 → 180);
- "即时参保保障项目和集中参保项目必须保持一致".
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

from runtime.errors import DomainError, InvalidInput

BASIC_LAYER = "0"


@dataclass(frozen=True)
class Item:
    """One 保障项目 of a programme-year; money in fen per person."""

    code: str  # A0 … C3
    name: str
    full_fen: int  # 全年缴费标准
    half_fen: int  # 半年缴费标准: instant cover starting in the year's second half
    waiting_days: int = 0  # 免责期 of an instant enrollment (collective: none)
    accident_exempt: bool = False  # A1–A3: "因意外伤害事故住院不执行免责期"
    social_security_only: bool = False  # A0: 职保 people only
    sort: int = 0

    @property
    def line(self) -> str:
        return self.code[0]

    @property
    def basic(self) -> bool:
        return self.code[1:] == BASIC_LAYER

    def price_fen(self, half_year: bool) -> int:
        return self.half_fen if half_year else self.full_fen


@dataclass(frozen=True)
class Bundle:
    """Items that together cost less per person (A0 B0 C0: 190 − 10 = 180 元) — never for half a year."""

    codes: tuple[str, ...]
    discount_fen: int

    @property
    def label(self) -> str:
        return " ".join(self.codes)


@dataclass(frozen=True)
class Catalogue:
    items: tuple[Item, ...]
    bundle: Bundle | None = None

    def item(self, code: str) -> Item | None:
        return next((i for i in self.items if i.code == code), None)


def check_selection(catalogue: Catalogue, codes: Sequence[str]) -> tuple[Item, ...]:
    """The unit's choice (勾选保障项目), in the catalogue's order."""
    chosen: list[Item] = []
    for code in codes:
        item = catalogue.item(code.strip().upper())
        if item is None:
            raise InvalidInput("items.unknown", f"未知的保障项目：{code}", item=code)
        if item in chosen:
            raise InvalidInput("items.duplicate", f"每个保障项目只能参保一份（{item.code}重复）", item=item.code)
        chosen.append(item)
    if not any(i.basic for i in chosen):
        basics = "、".join(i.code for i in catalogue.items if i.basic)
        raise InvalidInput("items.basic_required", f"基本保障项目{basics}至少选1种")
    for line in dict.fromkeys(i.line for i in chosen):
        plus = [i.code for i in chosen if i.line == line and not i.basic]
        if len(plus) > 1:
            raise InvalidInput("items.one_plus_per_line", f"加强保障项目{'、'.join(plus)}至多选1种", codes=plus)
    return tuple(sorted(chosen, key=lambda i: i.sort))


def items_for(selection: Iterable[Item], has_social_security: bool) -> tuple[Item, ...]:
    """What one person holds of the unit's choice: A0 only with social security (职保)."""
    return tuple(i for i in selection if has_social_security or not i.social_security_only)


def check_everyone_has_basic(selection: Sequence[Item], people_without_social_security: Sequence[str]) -> None:
    """A choice whose only basic item is A0 leaves people outside 职保 with no basic cover — and a plus
    item without one; name them (inferred from the unit rule applied to each person)."""
    if not people_without_social_security or any(i.basic for i in items_for(selection, False)):
        return
    names = list(people_without_social_security)
    shown = "、".join(names[:5]) + ("等" if len(names) > 5 else "")
    others = "、".join(i.code for i in selection if i.basic and i.social_security_only)
    raise DomainError(
        "items.basic_missing_for_person",
        f"{shown}{len(names)}人无社保，不能参加{others}，所选项目中没有其可参加的基本保障项目；"
        "请增选其他基本保障项目，或将其移出清册",
        count=len(names),
    )


def check_same_as_collective(selection: Sequence[Item], collective: Collection[str] | None) -> None:
    """An instant enrollment of a unit that took part in the collective one keeps those items."""
    if collective is None:
        return
    if {i.code for i in selection} != set(collective):
        locked = sorted(collective)
        raise DomainError(
            "items.locked_by_collective",
            f"本单位已参加集中参保，即时参保的保障项目须与集中参保一致（{'、'.join(locked)}），不可更改",
            locked=locked,
        )


@dataclass(frozen=True)
class PremiumRow:
    """One line of 保费信息: an item, or the bundle, with 社保人员 and 非社保人员 apart."""

    label: str  # 参加项目: "A3", or "A0 B0 C0"
    standard_fen: int  # 费用标准 per person
    discount_fen: int  # 优惠费用标准 per person
    ss_persons: int
    non_ss_persons: int

    @property
    def price_fen(self) -> int:
        return self.standard_fen - self.discount_fen

    @property
    def ss_fen(self) -> int:
        return self.price_fen * self.ss_persons

    @property
    def non_ss_fen(self) -> int:
        return self.price_fen * self.non_ss_persons

    @property
    def total_fen(self) -> int:  # 合计费用
        return self.ss_fen + self.non_ss_fen


@dataclass(frozen=True)
class PremiumTable:
    rows: tuple[PremiumRow, ...]

    @property
    def ss_fen(self) -> int:
        return sum(r.ss_fen for r in self.rows)

    @property
    def non_ss_fen(self) -> int:
        return sum(r.non_ss_fen for r in self.rows)

    @property
    def total_fen(self) -> int:  # 总计
        return self.ss_fen + self.non_ss_fen


@dataclass(frozen=True)
class PersonPremium:
    """保费详细: what one person pays; `bundled` when the bundle discount applies to them."""

    items: tuple[Item, ...]
    bundled: bool
    fen: int


def person_premium(
    catalogue: Catalogue, selection: Sequence[Item], has_social_security: bool, half_year: bool
) -> PersonPremium:
    held = items_for(selection, has_social_security)
    bundle = catalogue.bundle
    discount = bundle.discount_fen if bundle is not None and _bundled(bundle, held, half_year) else 0
    return PersonPremium(held, discount > 0, sum(i.price_fen(half_year) for i in held) - discount)


def premium_table(
    catalogue: Catalogue, selection: Sequence[Item], ss_persons: int, non_ss_persons: int, half_year: bool
) -> PremiumTable:
    """生成保费信息: the bundle row first, then the items in the catalogue's order; a row nobody holds is
    left out (the manual's tables show no A0 row when every 社保人员 has the bundle)."""
    if min(ss_persons, non_ss_persons) < 0:
        raise ValueError("persons must not be negative")
    counts: dict[str, list[int]] = {}
    standard: dict[str, tuple[int, int]] = {}
    for group, persons, has_ss in ((0, ss_persons, True), (1, non_ss_persons, False)):
        held = items_for(selection, has_ss)
        bundle = catalogue.bundle
        rest = held
        if bundle is not None and _bundled(bundle, held, half_year):
            full = sum(i.price_fen(half_year) for i in held if i.code in bundle.codes)
            standard[bundle.label] = (full, bundle.discount_fen)
            counts.setdefault(bundle.label, [0, 0])[group] += persons
            rest = tuple(i for i in held if i.code not in bundle.codes)
        for item in rest:
            standard[item.code] = (item.price_fen(half_year), 0)
            counts.setdefault(item.code, [0, 0])[group] += persons
    order = [catalogue.bundle.label] if catalogue.bundle else []
    order += [i.code for i in selection]
    rows = tuple(
        PremiumRow(label, *standard[label], *counts[label])
        for label in order
        if label in counts and sum(counts[label]) > 0
    )
    return PremiumTable(rows)


def _bundled(bundle: Bundle | None, held: Iterable[Item], half_year: bool) -> bool:
    return bundle is not None and not half_year and set(bundle.codes) <= {i.code for i in held}
