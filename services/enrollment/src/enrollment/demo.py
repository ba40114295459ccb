"""Demo data: 工会会员专享基本保障 for a year, with the guarantee types and dates of the manuals.

Manual 000 (2023) and 001 (2024): insurance year = calendar year; districts set the split Oct 25–31
of the year before; grassroots unions submit and reviewers review Nov 1 – Dec 25; districts submit to
the insurer Dec 26–31; grassroots pay their district by Dec 25, districts pay the insurer by Jan 20;
instant enrollment through the year. A类 26 元 = 13 + 13 + 0; A+类 76 元 = 13 + 63 + 0. The SS-card
channel exists from 2024. B类 and B+类 (B+ 100 元) appear in the manuals without their split, so
they are left for the city to configure.

`member_basic_year(year)` is pure; `configure(client, headers, year)` puts it through the HTTP API
(the runner calls it with a CITY or SYSTEM token). `uv run python -m enrollment.demo -h`.
"""

from __future__ import annotations

import argparse
import asyncio
from datetime import date, datetime, time

import httpx

from runtime.clock import SHANGHAI

from .domain.windows import WindowKind
from .schemas import ProgrammeIn, TypeIn, WindowIn, YearIn

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


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Configure 工会会员专享基本保障 years on a running enrollment service")
    parser.add_argument("--url", default="http://127.0.0.1:8104")
    parser.add_argument("--secret", default="local-development-secret-change-me-0123456789")
    parser.add_argument("years", nargs="*", type=int, default=[2024])
    args = parser.parse_args()
    asyncio.run(configure_years(args.url, args.secret, args.years))
