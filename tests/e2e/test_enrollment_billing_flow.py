"""Enrollment and billing across one real broker (issue 8): the 2024 year of 工会会员专享基本保障 configured →
two grassroots unions enrol their card holders collectively (44 at A类 26 元 = 13 + 13 + 0, one at A+类
76 元 = 13 + 63 + 0: 1,220 元, the manual's figure) → the district reviews and submits the batch →
`enrollment.batch.submitted` → billing makes the payable with the exact split and the notice
(`billing.notice.issued`) → the district uploads a voucher of 2,000 元 (refund 780 元) →
`billing.voucher.submitted` → the roster is frozen in enrollment too → the insurer approves →
`billing.payment.confirmed` → enrollment completes the batch and the cover is active.

Two real services in this process (enrollment and billing), each on its own fresh database, talking
only through Kafka (Tansu). The org tree, the members and their service cards arrive as org, members
and cards would publish them.
"""

from __future__ import annotations

import json
import random
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from httpx import AsyncClient

from billing.main import create_app as billing_app
from billing.settings import BillingSettings
from contracts import topics
from contracts.cards import CardChannel, CardIssued
from contracts.members import MemberCategory, MembersImported, MemberSnapshot
from contracts.org import OrgKind, OrgSnapshot, UnionUpserted
from enrollment import demo
from enrollment.main import create_app as enrollment_app
from enrollment.settings import EnrollmentSettings
from localstack import Postgres, Tansu, free_port, start_tansu
from localstack.pytest_plugin import eventually, read_topic, running, send_event
from runtime.clock import SHANGHAI, FixedClock
from runtime.tokens import Principal, Tier, issue

pytestmark = pytest.mark.e2e

SECRET = "e2e-enrollment-billing-secret-0123456789"
COMMON = {"internal_token_secret": SECRET, "consumer_backoff_seconds": 0.05, "consumer_max_attempts": 5}
YEAR = 2024
BASE = f"/programmes/{demo.PROGRAMME}/years/{YEAR}"
A_PERSONS, A_PLUS_PERSONS = 44, 1  # 44 × 26 + 1 × 76 = 1,220 元
# Per person: A 2600 = 1300 city + 1300 district + 0 grassroots; A+ 7600 = 1300 + 6300 + 0 (fen).
SPLIT = {
    "amount_fen": A_PERSONS * 2600 + A_PLUS_PERSONS * 7600,
    "city_fen": A_PERSONS * 1300 + A_PLUS_PERSONS * 1300,
    "district_fen": A_PERSONS * 1300 + A_PLUS_PERSONS * 6300,
    "grassroots_fen": 0,
}
DUE_FEN = SPLIT["amount_fen"]
assert DUE_FEN == 122000  # the manual's 1,220 元
PAID_FEN = 200000  # the manual's voucher of 2,000 元
HANDLER = {"name": "王经办", "phone": "13900001111", "email": "wang@example.com"}
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(17) + b"voucher-image"
REFUND = {"account_category": "会员专享", "account_name": "徐汇区总工会", "account_no": "6222 0000 1111 2222",
          "bank": "上海银行", "method": "划帐"}  # fmt: skip


def at(*args: int) -> datetime:
    """A moment in Shanghai time."""
    return datetime(*args, tzinfo=SHANGHAI)  # type: ignore[misc]


def org(org_id: int, parent: OrgSnapshot | None, name: str, kind: OrgKind, code: str) -> OrgSnapshot:
    path = f"{parent.path}.{org_id}" if parent else str(org_id)
    return OrgSnapshot(
        org_id=org_id, parent_id=parent.org_id if parent else None, path=path, name=name, kind=kind,
        union_code=code, district_id=int(path.split(".")[1]) if parent else None, version=1,
    )  # fmt: skip


# 上海市总工会 → 徐汇区总工会 → two grassroots unions, as org.v1 tells them.
CITY = org(9200, None, "上海市总工会", OrgKind.CITY, "310000000001")
DISTRICT = org(9201, CITY, "徐汇区总工会", OrgKind.DISTRICT, "310104000001")
G1 = org(9202, DISTRICT, "上海建朗信息科技有限公司工会", OrgKind.STANDALONE, "310104000116")
G2 = org(9203, DISTRICT, "上海金桥建设监理有限公司工会", OrgKind.STANDALONE, "310104000117")


def bearer(tier: Tier, who: OrgSnapshot | None, user: str) -> dict[str, str]:
    principal = Principal(user_id=user, tier=tier, org_id=who.org_id if who else None, org_path=who.path if who else "")
    return {"Authorization": "Bearer " + issue(SECRET, principal, ttl=timedelta(hours=6))}


CITY_STAFF = bearer(Tier.CITY, None, "city")
INSURER = bearer(Tier.INSURER, None, "insurer")
XUHUI = bearer(Tier.DISTRICT, DISTRICT, "xuhui-clerk")
CLERK_G1 = bearer(Tier.GRASSROOTS, G1, "g1-clerk")
CLERK_G2 = bearer(Tier.GRASSROOTS, G2, "g2-clerk")


def members_of(union: OrgSnapshot, count: int) -> list[MemberSnapshot]:
    tag = random.randint(0, 10**6)
    return [member(union, tag, i) for i in range(count)]


def member(union: OrgSnapshot, tag: int, i: int) -> MemberSnapshot:
    return MemberSnapshot(
        member_id=f"m-{tag}-{union.org_id}-{i}", org_id=union.org_id, category=MemberCategory.LINKED_ENTERPRISE,
        member_no=f"SH{union.org_id:06d}{i:04d}", work_address="上海市徐汇区虹漕路88号", joined_on=date(2023, 1, 5),
        version=1, name=f"会员{i}", id_type="身份证", id_number_masked=f"310***********{i:04d}",
        gender="男" if i % 2 else "女", birth_date=date(1985, 6, 1), id_sealed=f"sealed-{tag}-{i}",
    )  # fmt: skip


def card_of(m: MemberSnapshot) -> CardIssued:
    return CardIssued(
        member_id=m.member_id, org_id=m.org_id, batch_no="cb-202306010900", channel=CardChannel.NORMAL,
        card_number_masked="6231 **** **** 0640", issued_on=date(2023, 6, 1), version=1,
    )  # fmt: skip


@pytest.fixture
def broker(tmp_path: Path) -> AsyncIterator[Tansu]:
    """A broker of this test's own: both consumer groups join it from scratch."""
    tansu = start_tansu(free_port(), tmp_path / "tansu.log")
    yield tansu
    tansu.stop()


async def fresh(postgres: Postgres, name: str) -> str:
    return await postgres.ensure_database(f"flow_{name}_{free_port()}", fresh=True)


async def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


async def test_collective_batch_from_enrollment_to_confirmed_payment(postgres: Postgres, broker: Tansu) -> None:
    """Checked on both sides at every step: the batch's amount and split in fen, the payable and its
    notice, the voucher's refund (paid − due), the roster frozen in billing and in enrollment while the
    batch still awaits payment, the payable confirmed and the refund due, the batch completed with the
    cover active from the year's start."""
    kafka = {"kafka_bootstrap_servers": broker.bootstrap}
    clock = FixedClock(at(2023, 11, 20, 10))  # the collective window of 2024 (Nov 1 – Dec 25, 2023)
    async with AsyncExitStack() as stack:
        enrollment_db, billing_db = await fresh(postgres, "enrollment"), await fresh(postgres, "billing")
        enrollment = await stack.enter_async_context(
            running(enrollment_app(EnrollmentSettings(database_url=enrollment_db, lapse_scan_seconds=0, **kafka,
                                                      **COMMON), clock))
        )  # fmt: skip
        billing = await stack.enter_async_context(
            running(billing_app(BillingSettings(database_url=billing_db, **kafka, **COMMON), clock))
        )
        for union in (CITY, DISTRICT, G1, G2):
            await send_event(broker.bootstrap, UnionUpserted(org=union))
        await demo.configure(enrollment, CITY_STAFF, YEAR)
        a_members, a_plus_members = members_of(G1, A_PERSONS), members_of(G2, A_PLUS_PERSONS)
        await send_event(broker.bootstrap, MembersImported(import_id="imp-e2e", members=a_members + a_plus_members))
        for m in a_members + a_plus_members:
            await send_event(broker.bootstrap, card_of(m))

        batch_no = await _enrol_and_submit(enrollment, clock)
        payable = await _payable_with_notice(billing, broker.bootstrap, batch_no)
        assert (payable["state"], payable["status"], payable["roster_frozen"]) == ("待缴费", "缴费凭证待上传", False)

        # the district pays 2,000 元 for 1,220 元 due: 780 元 to refund; the roster freezes in billing …
        voucher = await _upload_voucher(billing, batch_no)
        assert (voucher["state"], voucher["due_fen"], voucher["applied_fen"]) == ("审核中", DUE_FEN, DUE_FEN)
        assert voucher["refund_fen"] == PAID_FEN - DUE_FEN == 78000
        payable = await ok(await billing.get(f"/payables/{batch_no}", headers=XUHUI))
        assert (payable["roster_frozen"], payable["status"], payable["pending_fen"]) == (True, "审核中", DUE_FEN)

        # … and, through billing.voucher.submitted, in enrollment, where the batch still awaits payment
        frozen = await eventually(lambda: _batch_if(enrollment, batch_no, roster_frozen=True), timeout=60)
        assert frozen, "enrollment never heard of the voucher"
        assert (frozen["state"], frozen["voucher_no"], frozen["paid_amount_fen"]) == (
            "待缴费", voucher["voucher_no"], None,
        )  # fmt: skip
        assert datetime.fromisoformat(frozen["frozen_at"]) == datetime.fromisoformat(payable["frozen_at"])

        # the insurer approves: billing confirms the payment and owes the refund
        clock.set(at(2024, 1, 10, 15))
        approve = f"/vouchers/{voucher['voucher_no']}/approve"
        approved = await ok(await billing.post(approve, headers=INSURER | {"Idempotency-Key": "approve-1"}))
        assert (approved["state"], approved["confirmed_batches"]) == ("审核通过", [batch_no])
        payable = await ok(await billing.get(f"/payables/{batch_no}", headers=XUHUI))
        assert (payable["state"], payable["status"], payable["paid_fen"], payable["outstanding_fen"]) == (
            "已确认", "已确认", DUE_FEN, 0,
        )  # fmt: skip
        refund = await ok(await billing.get(f"/refunds/{approved['refund_no']}", headers=XUHUI))
        assert (refund["amount_fen"], refund["state"], refund["batch_nos"]) == (78000, "待退款", [batch_no])

        # billing.payment.confirmed: enrollment completes the batch, the cover runs the whole year
        done = await eventually(lambda: _batch_if(enrollment, batch_no, state="已完成"), timeout=60)
        assert done, "enrollment never completed the batch"
        assert (done["paid_amount_fen"], done["coverage_start"], done["coverage_end"]) == (
            DUE_FEN, "2024-01-01", "2024-12-31",
        )  # fmt: skip
        assert done["roster_frozen"] and done["confirmed_at"].startswith("2024-01-10T")
        history = await ok(await enrollment.get(f"/members/{a_members[0].member_id}/coverage", headers=CLERK_G1))
        assert [(h["state"], h["type_code"], h["cover_start"], h["batch_no"]) for h in history] == [
            ("已生效", "A", "2024-01-01", batch_no)
        ]
        completed = await eventually(lambda: _events(broker.bootstrap, topics.ENROLLMENT, "enrollment.batch.completed",
                                                     batch_no), timeout=30)  # fmt: skip
        assert completed and [(e["persons"], e["paid_amount_fen"]) for e in completed] == [(45, DUE_FEN)]


async def _enrol_and_submit(enrollment: AsyncClient, clock: FixedClock) -> str:
    """Both unions submit their lists, the district approves them and sends the batch to the insurer."""

    async def insured(clerk: dict[str, str]) -> int:
        r = await enrollment.get(f"{BASE}/collective", headers=clerk)
        return int(r.json()["counts"]["insured"]) if r.status_code == 200 else -1  # 404: the union not heard of yet

    async def enrollable() -> bool:
        return (await insured(CLERK_G1), await insured(CLERK_G2)) == (A_PERSONS, A_PLUS_PERSONS)

    assert await eventually(enrollable, timeout=120), "the card holders never became enrollable"
    submissions = f"{BASE}/collective/submissions"
    sub1 = await ok(await enrollment.post(submissions, json={"type_code": "A"}, headers=CLERK_G1), 201)
    sub2 = await ok(await enrollment.post(submissions, json={"type_code": "A+"}, headers=CLERK_G2), 201)
    assert (sub1["persons"], sub1["amount_fen"]) == (44, 44 * 2600)
    assert (sub2["persons"], sub2["amount_fen"]) == (1, 7600)

    params: dict[str, Any] = {"programme": demo.PROGRAMME, "year": YEAR}
    pending = await ok(await enrollment.get("/review/pending", params=params, headers=XUHUI))
    ids = sorted(item["id"] for item in pending["items"])
    assert ids == sorted(sub1["submission_ids"] + sub2["submission_ids"])
    await ok(await enrollment.post("/review/stage", json={"submission_ids": ids}, headers=XUHUI))
    staged = await ok(await enrollment.get("/review/staged", params=params, headers=XUHUI))
    assert (staged["totals"]["persons"], staged["totals"]["amounts"]) == (45, SPLIT)

    clock.set(at(2023, 12, 28, 10))  # the district submission window (Dec 26–31)
    body = {**params, "enrollment_type": "集中参保", "handler": HANDLER}
    batch = await ok(await enrollment.post("/batches", json=body, headers=XUHUI | {"Idempotency-Key": "b1"}), 201)
    assert (batch["state"], batch["persons"], batch["amounts"], batch["pay_by"]) == ("待缴费", 45, SPLIT, "2024-01-20")
    by_type = {(t["code"], t["persons"], t["amount_fen"]) for t in batch["by_type"]}
    assert by_type == {("A", 44, 114400), ("A+", 1, 7600)}
    assert (batch["roster_frozen"], batch["voucher_no"]) == (False, None)
    return str(batch["batch_no"])


async def _payable_with_notice(billing: AsyncClient, bootstrap: str, batch_no: str) -> dict[str, Any]:
    """enrollment.batch.submitted → the payable, whole, with the split in fen → billing.notice.issued."""

    async def whole() -> dict[str, Any] | None:
        r = await billing.get(f"/payables/{batch_no}", headers=XUHUI)
        return r.json() if r.status_code == 200 and r.json()["complete"] else None

    payable = await eventually(whole, timeout=60)
    assert payable, "billing never made the payable (or the district cannot see it)"
    assert (payable["due_fen"], payable["split"], payable["persons"]) == (DUE_FEN, SPLIT, 45)
    assert (payable["payer_org_id"], payable["lines_total"], payable["lines_received"]) == (DISTRICT.org_id, 45, 45)
    assert {(t["code"], t["premium_fen"], t["persons"], t["amount_fen"]) for t in payable["guarantee_types"]} == {
        ("A", 2600, 44, 114400), ("A+", 7600, 1, 7600),
    }  # fmt: skip
    notices = await eventually(lambda: _events(bootstrap, topics.BILLING, "billing.notice.issued", batch_no))
    assert notices and [(n["amount_fen"], n["version"]) for n in notices] == [(DUE_FEN, 1)]
    pdf = await billing.get(f"/payables/{batch_no}/notice", headers=XUHUI)
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    return payable


async def _upload_voucher(billing: AsyncClient, batch_no: str) -> dict[str, Any]:
    data = {
        "batch_nos": [batch_no], "paying_unit": "徐汇区总工会", "method": "贷记(网银)", "amount_fen": PAID_FEN,
        "account_category": "会员专享", "transfer_date": "2023-12-28", "refund": REFUND,
    }  # fmt: skip
    parts: dict[str, Any] = {
        "data": (None, json.dumps(data, ensure_ascii=False)),
        "file": ("凭证.png", PNG, "image/png"),
    }
    sent = await billing.post("/vouchers", files=parts, headers=XUHUI | {"Idempotency-Key": "voucher-1"})
    return await ok(sent, 201)  # type: ignore[no-any-return]


async def _batch_if(enrollment: AsyncClient, batch_no: str, **want: Any) -> dict[str, Any] | None:
    body: dict[str, Any] = await ok(await enrollment.get(f"/batches/{batch_no}", headers=XUHUI))
    return body if all(body[k] == v for k, v in want.items()) else None


async def _events(bootstrap: str, topic: str, ce_type: str, key: str) -> list[dict[str, Any]] | None:
    found = []
    for record in await read_topic(bootstrap, topic):
        headers = {k: v.decode() for k, v in record.headers}
        if headers.get("ce_type") == ce_type and record.key == key.encode():
            found.append(json.loads(record.value))
    return found or None
