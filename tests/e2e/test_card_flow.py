"""The card flow across services on one real broker (issue 6): members imports a roster → cards finds
the members eligible → the clerk puts them on the pending list and asks social security → the
social-security adapter, down at first, comes up and answers (one person retired) → the clerk removes
the one not passed and submits a batch → the bank adapter issues every card → 已办卡 with masked
card numbers and `cards.card.issued` for enrollment.

Four real services in this process (members, cards, and the two reference adapters), each on its
own fresh database, talking only through Kafka (Tansu).
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from httpx import AsyncClient
from openpyxl import Workbook

from bank.main import create_app as bank_app
from bank.settings import BankSettings
from cards.main import create_app as cards_app
from cards.settings import CardsSettings
from contracts import topics
from contracts.org import OrgKind, OrgSnapshot, UnionUpserted
from localstack import Postgres, Tansu, free_port, start_tansu
from localstack.pytest_plugin import eventually, read_topic, running, send_event
from members.domain.roster import COLUMNS
from members.main import create_app as members_app
from members.settings import MembersSettings
from runtime.identity import make_id_number, make_uscc
from runtime.tokens import Principal, Tier, issue
from socialsec.main import create_app as socialsec_app
from socialsec.settings import SocialsecSettings

pytestmark = pytest.mark.e2e

SECRET = "e2e-flow-secret-0123456789-0123456789"
ENTERPRISE = {"data_type": "关联企业类", "enterprise_name": "上海某某科技有限公司", "enterprise_uscc": make_uscc(7)}
HEADER = [header for _, header in COLUMNS]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PEOPLE = 12
RETIRED = 4  # the one the social-security register knows as retired
OUTLET = {
    "channel": "普通",
    "branch": "工商银行徐汇支行",
    "outlet": "虹漕路网点",
    "outlet_address": "上海市徐汇区虹漕路100号",
    "contact": "王老师",
    "contact_phone": "13900001111",
}
COMMON = {"internal_token_secret": SECRET, "consumer_backoff_seconds": 0.05, "consumer_max_attempts": 5}


def id_number(i: int) -> str:
    return make_id_number("310104", date(1990, 1, 1) + timedelta(days=40 * i), i, i % 2 == 0)


def name(i: int) -> str:
    return f"持卡人{'甲乙丙丁戊己庚辛壬癸子丑'[i]}"


def roster() -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("会员信息")
    ws.append(HEADER)
    for i in range(PEOPLE):
        person = [name(i), "身份证", id_number(i), f"1391234{i:04d}", "男" if i % 2 == 0 else "女"]
        ws.append([*person, UNION.name, UNION.union_code, ENTERPRISE["enterprise_name"], "", "上海市徐汇区虹漕路88号"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def org(org_id: int, parent: OrgSnapshot | None, name: str, kind: OrgKind, code: str) -> OrgSnapshot:
    path = f"{parent.path}.{org_id}" if parent else str(org_id)
    district = int(path.split(".")[1]) if parent else None
    parent_id = parent.org_id if parent else None
    return OrgSnapshot(
        org_id=org_id,
        parent_id=parent_id,
        path=path,
        name=name,
        kind=kind,
        union_code=code,
        district_id=district,
        version=1,
    )


# 上海市总工会 → 徐汇区总工会 → one grassroots union, as org.v1 tells them.
CITY = org(9100, None, "上海市总工会", OrgKind.CITY, "310000000001")
DISTRICT = org(9101, CITY, "徐汇区总工会", OrgKind.DISTRICT, "310104000001")
UNION = org(9102, DISTRICT, "上海某某科技有限公司工会", OrgKind.STANDALONE, "310104000116")
CLERK_PRINCIPAL = Principal(user_id="clerk", tier=Tier.GRASSROOTS, org_id=UNION.org_id, org_path=UNION.path)
CLERK = {"Authorization": "Bearer " + issue(SECRET, CLERK_PRINCIPAL, ttl=timedelta(hours=6))}


@pytest.fixture
def broker(tmp_path: Path) -> AsyncIterator[Tansu]:
    """A broker of this test's own: four consumer groups join it from scratch."""
    tansu = start_tansu(free_port(), tmp_path / "tansu.log")
    yield tansu
    tansu.stop()


async def fresh(postgres: Postgres, name: str) -> str:
    return await postgres.ensure_database(f"flow_{name}_{free_port()}", fresh=True)


async def test_card_flow_from_import_to_issued_cards(postgres: Postgres, broker: Tansu, tmp_path: Path) -> None:
    """Checked: every imported member becomes eligible; the check waits for a social-security adapter
    that is down and completes once it is up; the retired person fails with the reason; submit refuses
    while a row has not passed and succeeds once it is removed; the batch number reads cb-YYYYMMDDhhmm…;
    the bank issues exactly the submitted cards (one cards.card.issued each) and the card info shows
    them 已办卡 with masked numbers."""
    kafka = {"kafka_bootstrap_servers": broker.bootstrap}
    register = tmp_path / "register.json"
    register.write_text(json.dumps({id_number(RETIRED): {"retired": True, "retirement_month": "2025-06"}}))
    clerk = CLERK
    async with AsyncExitStack() as stack:
        members = await stack.enter_async_context(
            running(members_app(MembersSettings(database_url=await fresh(postgres, "members"), **kafka, **COMMON)))
        )
        cards = await stack.enter_async_context(
            running(cards_app(CardsSettings(database_url=await fresh(postgres, "cards"), **kafka, **COMMON)))
        )
        bank = BankSettings(
            database_url=await fresh(postgres, "bank"),
            issue_delay_seconds=0.5,
            issue_jitter_seconds=0,
            reject_rate=0,
            schedule_poll_seconds=0.05,
            **kafka,
            **COMMON,
        )
        await stack.enter_async_context(running(bank_app(bank)))
        for org in (CITY, DISTRICT, UNION):
            await send_event(broker.bootstrap, UnionUpserted(org=org))

        imported = await _import(members, clerk)
        assert imported["rows_created"] == PEOPLE, imported

        listed = await _all_addable(cards, clerk)
        added = await cards.post("/cards/pending", json={"member_ids": [m["member_id"] for m in listed]}, headers=clerk)
        assert added.status_code == 201, added.text
        pending = (await cards.get("/pending", params={"size": 50}, headers=clerk)).json()["items"]
        sent = await cards.post("/pending/checks", json={"ids": [row["id"] for row in pending]}, headers=clerk)
        assert sent.status_code == 202, sent.text

        # Social security is down: nothing is answered; then it comes up and answers what was asked.
        assert (await _progress(cards, clerk))["passed"] == 0
        socialsec = SocialsecSettings(
            database_url=await fresh(postgres, "socialsec"),
            latency_seconds=0.2,
            register_file=register,
            not_found_rate=0,
            name_differs_rate=0,
            early_retirement_rate=0,
            deceased_rate=0,
            schedule_poll_seconds=0.05,
            **kafka,
            **COMMON,
        )
        await stack.enter_async_context(running(socialsec_app(socialsec)))
        progress = await eventually(lambda: _answered(cards, clerk), timeout=60)
        assert progress and (progress["passed"], progress["failed"]) == (PEOPLE - 1, 1), progress
        failed = (await cards.get("/pending", params={"check_state": "未通过"}, headers=clerk)).json()["items"]
        assert [row["name"] for row in failed] == [name(RETIRED)]
        assert "退休" in failed[0]["check_reason"]

        refused = await cards.post("/batches", json=OUTLET, headers=clerk)
        assert refused.status_code == 409 and refused.json()["code"] == "cards.not_all_passed", refused.text
        removed = await cards.post("/pending/remove-unready", json={"channel": "普通"}, headers=clerk)
        assert removed.json()["removed"] == 1
        batch = await cards.post("/batches", json=OUTLET, headers=clerk)
        assert batch.status_code == 201, batch.text
        batch_no = batch.json()["batch_no"]
        assert re.fullmatch(r"cb-\d{12}\d+", batch_no), batch_no

        done = await eventually(lambda: _batch_issued(cards, clerk, batch_no), timeout=60)
        assert done and done["issued_count"] == PEOPLE - 1 and done["rejected_count"] == 0, done
        issued = (await cards.get("/cards", params={"status": "已办卡", "size": 50}, headers=clerk)).json()
        assert issued["total"] == PEOPLE - 1
        assert all(re.fullmatch(r"6222 \*{4} \*{4} \d{4}", c["card_number"]) for c in issued["items"]), issued
        announced = await eventually(lambda: _card_issued_events(broker.bootstrap, batch_no), timeout=20)
        assert sorted(announced) == sorted(c["member_id"] for c in issued["items"])


async def _import(members: AsyncClient, clerk: dict[str, str]) -> dict[str, Any]:
    files = {"file": ("会员.xlsx", roster(), XLSX)}

    async def accepted() -> dict[str, Any] | None:
        r = await members.post("/imports", files=files, data=ENTERPRISE, headers=clerk)
        assert r.status_code == 202, r.text
        body = await eventually(lambda: _finished(members, clerk, r.json()["id"]), timeout=60)
        # The org projection may lag the first upload: a rejected-for-scope file is simply retried.
        return body if body and body["rows_stored"] == PEOPLE else None

    result = await eventually(accepted, timeout=60, interval=1)
    assert result, "the roster was never accepted"
    return result


async def _finished(members: AsyncClient, clerk: dict[str, str], import_id: str) -> dict[str, Any] | None:
    body: dict[str, Any] = (await members.get(f"/imports/{import_id}", headers=clerk)).json()
    return body if body["state"] in ("已完成", "已失败") else None


async def _all_addable(cards: AsyncClient, clerk: dict[str, str]) -> list[dict[str, Any]]:
    async def listed() -> list[dict[str, Any]] | None:
        page = (await cards.get("/cards", params={"status": "未办卡", "size": 50}, headers=clerk)).json()
        items: list[dict[str, Any]] = page["items"]
        return items if len(items) == PEOPLE and all(m["addable"] for m in items) else None

    found = await eventually(listed, timeout=60)
    assert found, "the imported members never became addable (eligible with a member number)"
    return found


async def _progress(cards: AsyncClient, clerk: dict[str, str]) -> dict[str, int]:
    return (await cards.get("/pending/progress", headers=clerk)).json()["普通"]  # type: ignore[no-any-return]


async def _answered(cards: AsyncClient, clerk: dict[str, str]) -> dict[str, int] | None:
    progress = await _progress(cards, clerk)
    return progress if progress["passed"] + progress["failed"] == PEOPLE else None


async def _batch_issued(cards: AsyncClient, clerk: dict[str, str], batch_no: str) -> dict[str, Any] | None:
    batch: dict[str, Any] = (await cards.get(f"/batches/{batch_no}", headers=clerk)).json()
    return batch if batch["waiting_count"] == 0 else None


async def _card_issued_events(bootstrap: str, batch_no: str) -> list[str] | None:
    found = []
    for record in await read_topic(bootstrap, topics.CARDS):
        headers = {k: v.decode() for k, v in record.headers}
        body = json.loads(record.value)
        if headers.get("ce_type") == "cards.card.issued" and body["batch_no"] == batch_no:
            found.append(body["member_id"])
    return found if len(found) == PEOPLE - 1 else None
