"""Demo data: 工会会员专享基本保障 for a year, with the guarantee types and dates of the manuals.

Manual 000 (2023) and 001 (2024): insurance year = calendar year; districts set the split Oct 25–31
of the year before; grassroots unions submit and reviewers review Nov 1 – Dec 25; districts submit to
the insurer Dec 26–31; grassroots pay their district by Dec 25, districts pay the insurer by Jan 20;
instant enrollment through the year. A类 26 元 = 13 + 13 + 0; A+类 76 元 = 13 + 63 + 0. The SS-card
channel exists from 2024. B类 and B+类 (B+ 100 元) appear in the manuals without their split, so
they are left for the city to configure.

`member_basic_year(year)` is pure; `configure(client, headers, year)` puts it through the HTTP API
(the runner calls it with a CITY or SYSTEM token). `uv run python -m enrollment.demo -h`.

上海职工互助保障项目2020 (manual 002): `mutual_aid_year(year)`, its items A0–C3 with full and half-year
prices and 免责期, the A0 B0 C0 discount and the roster rules; `configure_mutual_aid_years` sets up the
current year and the next (`uv run python -m enrollment.demo --mutual-aid`).
"""

from __future__ import annotations

import argparse
import asyncio
from datetime import date, datetime, time

import httpx

from runtime.clock import SHANGHAI
from runtime.money import yuan_to_fen

from .domain.windows import WindowKind
from .schemas import ProgrammeIn, TypeIn, WindowIn, YearIn
from .schemas.mutual_aid import RulesIn
from .schemas.retiree import RulesIn as RetireeRulesIn

PROGRAMME = "member-basic"
PROGRAMME_IN = ProgrammeIn(name="工会会员专享基本保障", description="会员卡参保与社保卡参保；集中参保与即时参保")
TYPES: dict[str, TypeIn] = {
    "A": TypeIn(
        name="A类会员专享基本保障", premium_fen=2600, city_fen=1300, district_fen=1300, grassroots_fen=0, sort=1
    ),
    "A+": TypeIn(
        name="A+类会员专享基本保障", premium_fen=7600, city_fen=1300, district_fen=6300, grassroots_fen=0, sort=3
    ),
}


def _at(d: date) -> datetime:
    """Midnight in Shanghai at the start of `d`."""
    return datetime.combine(d, time(), tzinfo=SHANGHAI)


def member_basic_year(year: int) -> YearIn:
    before = year - 1
    windows = {
        WindowKind.SPLIT: (date(before, 10, 25), date(before, 11, 1)),
        WindowKind.COLLECTIVE: (date(before, 11, 1), date(before, 12, 26)),
        WindowKind.REVIEW: (date(before, 11, 1), date(before, 12, 26)),
        WindowKind.DISTRICT_SUBMIT: (date(before, 12, 26), date(year, 1, 1)),
        WindowKind.INSTANT: (date(year, 1, 1), date(year + 1, 1, 1)),
    }
    return YearIn(
        insurance_start=date(year, 1, 1),
        insurance_end=date(year, 12, 31),
        unit_pay_by=date(before, 12, 25),
        collective_pay_by=date(year, 1, 20),
        instant_pay_days=15,
        ss_card_channel=year >= 2024,
        issuer_name="上海市职工保障互助中心",
        payee_name="上海市职工保障互助中心会员专享保障专户",
        payee_account="316023-03002745697",
        payee_bank="上海银行人民广场支行",
        windows={k.value: WindowIn(opens_at=_at(a), closes_at=_at(b)) for k, (a, b) in windows.items()},
    )


async def configure(client: httpx.AsyncClient, headers: dict[str, str], year: int = 2024) -> None:
    """Create (or update) the programme, the year and its types; safe to run again."""
    r = await client.put(f"/programmes/{PROGRAMME}", json=PROGRAMME_IN.model_dump(), headers=headers)
    r.raise_for_status()
    r = await client.put(
        f"/programmes/{PROGRAMME}/years/{year}", json=member_basic_year(year).model_dump(mode="json"), headers=headers
    )
    r.raise_for_status()
    for code, data in TYPES.items():
        r = await client.put(
            f"/programmes/{PROGRAMME}/years/{year}/types/{code}", json=data.model_dump(), headers=headers
        )
        if r.status_code == 409 and r.json().get("code") == "type.in_use":
            continue  # already in use with these prices: nothing to change
        r.raise_for_status()


async def configure_years(base_url: str, secret: str, years: list[int]) -> None:
    """As the platform (a system token), for the runner and the command line."""
    from runtime.tokens import Principal, Tier, issue

    token = issue(secret, Principal(user_id="demo", tier=Tier.SYSTEM))
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
        for year in years:
            await configure(client, {"Authorization": f"Bearer {token}"}, year)


# --- 上海职工互助保障项目2020 (manual 002) ------------------------------------------------------------------

MUTUAL_AID = "mutual-aid"
MUTUAL_AID_IN = ProgrammeIn(
    name="上海职工互助保障项目2020",
    description="在职职工互助保障：集中参保与即时参保，参保清册、清册校验、保障项目、缴费",
)
# 上海职工互助保障项目2020一览表: (code, name, 全年 元, 免责期 days); 半年 = half
MUTUAL_AID_ITEMS = [
    ("A0", "住院基本保障", "120", 30), ("B0", "特种重病基本保障", "55", 60), ("C0", "意外伤害基本保障", "15", 0),
    ("A1", "住院加强保障", "135", 30), ("B1", "特种重病加强保障", "100", 60), ("C1", "意外伤害加强保障", "40", 0),
    ("A2", "住院加强保障", "230", 30), ("B2", "特种重病加强保障", "235", 60), ("C2", "意外伤害加强保障", "75", 0),
    ("A3", "住院加强保障", "330", 30), ("B3", "特种重病加强保障", "460", 60), ("C3", "意外伤害加强保障", "225", 0),
]  # fmt: skip
# 同时参保A0、B0、C0，总费用从190元/人优惠至180元/人; ±10 %; 75 %–100 %; ≤ 10 人 100 %; 单个模板5000人
MUTUAL_AID_RULES = RulesIn(
    bundle_codes=["A0", "B0", "C0"],
    bundle_discount_fen=1000,
    change_pct=10,
    ratio_min_pct=75,
    ratio_max_pct=100,
    small_unit_max=10,
    template_max_rows=5000,
)


def mutual_aid_items() -> dict[str, TypeIn]:
    items = {}
    for sort, (code, name, full, days) in enumerate(MUTUAL_AID_ITEMS, start=1):
        fen = yuan_to_fen(full)
        items[code] = TypeIn(
            name=name, premium_fen=fen, city_fen=0, district_fen=0, grassroots_fen=fen, half_year_premium_fen=fen // 2,
            waiting_days=days, sort=sort, accident_exempt=code in ("A1", "A2", "A3"), social_security_only=code == "A0",
        )  # fmt: skip
    return items


def mutual_aid_year(year: int) -> YearIn:
    """保障年度 `year`: July 1 → June 30; 集中参保 June 1 00:00 – June 30 24:00; 即时参保 from July 1 00:00."""
    windows = {
        WindowKind.COLLECTIVE: (date(year, 6, 1), date(year, 7, 1)),
        WindowKind.INSTANT: (date(year, 7, 1), date(year + 1, 7, 1)),
    }
    return YearIn(
        insurance_start=date(year, 7, 1),
        insurance_end=date(year + 1, 6, 30),
        collective_pay_by=date(year, 7, 15),
        instant_pay_days=15,  # 提交确认保费后，请于15天内将保费汇至以下账号
        issuer_name="上海市职工保障互助会",
        payee_name="上海市职工保障互助会",
        payee_account="31602300008022150",
        payee_bank="上海银行人民广场支行",
        windows={k.value: WindowIn(opens_at=_at(a), closes_at=_at(b)) for k, (a, b) in windows.items()},
    )


def mutual_aid_years(today: date) -> list[int]:
    """The year whose instant enrollment runs now, and the next one (its collective window is in June)."""
    current = today.year if today >= date(today.year, 7, 1) else today.year - 1
    return [current, current + 1]


async def configure_mutual_aid(client: httpx.AsyncClient, headers: dict[str, str], year: int) -> None:
    """The programme, the year, its items and rules; safe to run again."""
    r = await client.put(f"/programmes/{MUTUAL_AID}", json=MUTUAL_AID_IN.model_dump(), headers=headers)
    r.raise_for_status()
    r = await client.put(
        f"/programmes/{MUTUAL_AID}/years/{year}", json=mutual_aid_year(year).model_dump(mode="json"), headers=headers
    )
    r.raise_for_status()
    for code, data in mutual_aid_items().items():
        r = await client.put(
            f"/programmes/{MUTUAL_AID}/years/{year}/types/{code}", json=data.model_dump(), headers=headers
        )
        if r.status_code == 409 and r.json().get("code") == "type.in_use":
            continue
        r.raise_for_status()
    r = await client.put(f"/mutual-aid/years/{year}/rules", json=MUTUAL_AID_RULES.model_dump(), headers=headers)
    r.raise_for_status()


async def configure_mutual_aid_years(base_url: str, secret: str, years: list[int] | None = None) -> list[int]:
    """As the platform, for the runner: by default the current mutual-aid year and the next."""
    from runtime.tokens import Principal, Tier, issue

    chosen = years or mutual_aid_years(datetime.now(SHANGHAI).date())
    token = issue(secret, Principal(user_id="demo", tier=Tier.SYSTEM))
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
        for year in chosen:
            await configure_mutual_aid(client, {"Authorization": f"Bearer {token}"}, year)
    return chosen


# --- 退休住院计划 (manual 003) -------------------------------------------------------------------------------

RETIREE = "retiree-hospital"
RETIREE_IN = ProgrammeIn(
    name="退休住院计划", description="退休职工住院保障：集中参保（委托代扣或缴费凭证）与即时参保，450元/人/年"
)


def _at_hour(d: date, hour: int) -> datetime:
    return datetime.combine(d, time(hour), tzinfo=SHANGHAI)


def retiree_year(year: int) -> YearIn:
    """保障年度 `year`: July 1 → June 30; 集中参保 May 12 00:00 – June 30 17:00; 委托代扣款缴费参保通道 closes
    May 31 17:00, 委托代扣申请 by June 4 16:00; 即时参保 from July 1 00:00."""
    opens = _at(date(year, 5, 12))
    windows = {
        WindowKind.COLLECTIVE: (opens, _at_hour(date(year, 6, 30), 17)),
        WindowKind.WITHHOLDING: (opens, _at_hour(date(year, 5, 31), 17)),
        WindowKind.WITHHOLDING_REQUEST: (opens, _at_hour(date(year, 6, 4), 16)),
        WindowKind.INSTANT: (_at(date(year, 7, 1)), _at(date(year + 1, 7, 1))),
    }
    return YearIn(
        insurance_start=date(year, 7, 1),
        insurance_end=date(year + 1, 6, 30),
        collective_pay_by=date(year, 7, 15),
        instant_pay_days=15,
        issuer_name="上海市职工保障互助会",
        payee_name="上海市职工保障互助会退休职工医保专户",
        payee_account="31602300008023554",
        payee_bank="上海银行人民广场支行",
        windows={k.value: WindowIn(opens_at=a, closes_at=b) for k, (a, b) in windows.items()},
    )


def retiree_rules(year: int) -> RetireeRulesIn:
    """450 元; 0 < 代扣 ≤ 450 元; 30 days; 75 %; 50 % valid phones. The manual names no pension day: June 10
    is this configuration's (the insurer sets the year's)."""
    return RetireeRulesIn(pension_day=date(year, 6, 10))


async def configure_retiree(client: httpx.AsyncClient, headers: dict[str, str], year: int) -> None:
    """The programme, the year and its rules; safe to run again."""
    r = await client.put(f"/programmes/{RETIREE}", json=RETIREE_IN.model_dump(), headers=headers)
    r.raise_for_status()
    r = await client.put(
        f"/programmes/{RETIREE}/years/{year}", json=retiree_year(year).model_dump(mode="json"), headers=headers
    )
    r.raise_for_status()
    r = await client.put(
        f"/retiree/years/{year}/rules", json=retiree_rules(year).model_dump(mode="json"), headers=headers
    )
    r.raise_for_status()


async def configure_retiree_years(base_url: str, secret: str, years: list[int] | None = None) -> list[int]:
    """As the platform, for the runner: by default the current insurance year (July–June) and the next."""
    from runtime.tokens import Principal, Tier, issue

    chosen = years or mutual_aid_years(datetime.now(SHANGHAI).date())
    token = issue(secret, Principal(user_id="demo", tier=Tier.SYSTEM))
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
        for year in chosen:
            await configure_retiree(client, {"Authorization": f"Bearer {token}"}, year)
    return chosen


async def load_retiree_units(base_url: str, secret: str, units: list[tuple[str, str, str]]) -> None:
    """Last year's units (参保编码, 单位名称, USCC), as the insurer loads them; the gateway then pre-issues
    each one's tuixiu<参保编码> account. Loading again changes nothing."""
    from runtime.tokens import Principal, Tier, issue

    body = {"units": [{"code": c, "unit_name": n, "uscc": u} for c, n, u in units]}
    token = issue(secret, Principal(user_id="demo", tier=Tier.SYSTEM))
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
        r = await client.put("/retiree/units", json=body, headers={"Authorization": f"Bearer {token}"})
        r.raise_for_status()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Configure 工会会员专享基本保障 years on a running enrollment service")
    parser.add_argument("--url", default="http://127.0.0.1:8104")
    parser.add_argument("--secret", default="local-development-secret-change-me-0123456789")
    parser.add_argument("--mutual-aid", action="store_true", help="上海职工互助保障项目2020 instead (years July–June)")
    parser.add_argument("--retiree", action="store_true", help="退休住院计划 instead (years July–June)")
    parser.add_argument("years", nargs="*", type=int)
    args = parser.parse_args()
    if args.mutual_aid:
        asyncio.run(configure_mutual_aid_years(args.url, args.secret, args.years or None))
    elif args.retiree:
        asyncio.run(configure_retiree_years(args.url, args.secret, args.years or None))
    else:
        asyncio.run(configure_years(args.url, args.secret, args.years or [2024]))
