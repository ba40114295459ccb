"""撤销办卡批次申请 both ways, on the real broker: rejected → members stay locked; approved → released,
cards.batch.revoked for the bank, later bank answers ignored; a batch the bank finished cannot be revoked."""

from __future__ import annotations

from datetime import date

from contracts import topics
from contracts.bank import BankCardIssued, BankCardRejected
from localstack.pytest_plugin import eventually, send_event, states_scraped
from services.cards.tests.conftest import (
    City,
    app_of,
    get_json,
    joined,
    payloads,
    processed,
    snapshot,
    special_batch,
)

APPLICANT = {"applicant_name": "李四", "applicant_phone": "13800002222"}


async def test_rejected_then_approved_revocation(client, city: City, kafka):
    clerk, district = city.clerk(city.g1), city.clerk(city.xuhui)
    await joined(client)
    members = [snapshot(i, city.g1) for i in range(3)]
    batch_no = await special_batch(client, kafka, city.g1, clerk, members)
    # checked: the business dashboard's state panels (aggregates_by_state on /metrics)
    assert await dashboard_states(client) == (
        {"办理中": 1, "已完成": 0, "已撤销": 0},
        {"未办卡": 0, "待办中": 3, "已办卡": 0},
    )

    r = await client.post(f"/batches/{batch_no}/revocations", json=APPLICANT, headers=clerk)
    assert r.status_code == 201, r.text
    asked = r.json()
    assert (asked["state"], asked["applicant_phone"], asked["requested_by"]) == (
        "审核中",
        "138*****2222",
        f"clerk-{city.g1.org_id}",
    )
    # checked: one request at a time; the batch shows it
    again = await client.post(f"/batches/{batch_no}/revocations", json=APPLICANT, headers=clerk)
    assert (again.status_code, again.json()["code"]) == (409, "cards.revoke_pending")
    assert (await get_json(client, f"/batches/{batch_no}", clerk))["revocation_state"] == "审核中"
    bad_phone = await client.post(
        f"/batches/{batch_no}/revocations", json=APPLICANT | {"applicant_phone": "123"}, headers=clerk
    )
    assert bad_phone.json()["code"] == "cards.phone_invalid"

    # checked: the grassroots union cannot review; another district does not see the request
    own = await client.post(f"/revocations/{asked['id']}/approve", headers=clerk)
    assert (own.status_code, own.json()["code"]) == (403, "cards.revocation_reviewer")
    other = await client.post(f"/revocations/{asked['id']}/approve", headers=city.clerk(city.huangpu))
    assert other.status_code == 404
    assert (await get_json(client, "/revocations", city.clerk(city.huangpu)))["total"] == 0
    queue = await get_json(client, "/revocations", district, state="审核中")
    assert [q["batch_no"] for q in queue["items"]] == [batch_no]

    # rejected (a reason is required) → the members stay locked in the batch
    no_reason = await client.post(f"/revocations/{asked['id']}/reject", json={"reason": " "}, headers=district)
    assert no_reason.json()["code"] == "cards.reject_reason_required"
    r = await client.post(f"/revocations/{asked['id']}/reject", json={"reason": "网点已受理"}, headers=district)
    rejected = r.json()
    assert (rejected["state"], rejected["review_reason"], rejected["reviewed_by"]) == (
        "审核不通过",
        "网点已受理",
        f"clerk-{city.xuhui.org_id}",
    )
    assert rejected["reviewed_at"]
    twice = await client.post(f"/revocations/{asked['id']}/approve", headers=district)
    assert twice.json()["code"] == "cards.revocation_reviewed"
    assert (await get_json(client, f"/cards/{members[0].member_id}", clerk))["status"] == "待办中"
    locked = await client.post("/cards/pending", json={"member_ids": [members[0].member_id]}, headers=clerk)
    assert locked.json()["code"] == "cards.not_addable"

    # the bank issues one card; then a second request is approved → the other two are released
    issued = BankCardIssued(batch_no=batch_no, member_id=members[0].member_id, card_number_masked="6222 **** **** 0001",
                            issued_on=date(2026, 3, 5))  # fmt: skip
    assert await processed(client, await send_event(kafka.bootstrap, issued))
    second = (await client.post(f"/batches/{batch_no}/revocations", json=APPLICANT, headers=clerk)).json()
    r = await client.post(f"/revocations/{second['id']}/approve", headers=district)
    assert r.status_code == 200 and r.json()["state"] == "审核通过"
    detail = await get_json(client, f"/batches/{batch_no}", clerk)
    assert (detail["state"], detail["revocation_state"], detail["version"], detail["revocable"]) == (
        "已撤销",
        "审核通过",
        2,
        False,
    )
    assert [r["state"] for r in detail["revocations"]] == ["审核通过", "审核不通过"]
    assert {c["name"]: c["outcome"] for c in detail["cards"]} == {
        "会员0": "已办卡",
        "会员1": "已撤销",
        "会员2": "已撤销",
    }
    released = await get_json(client, f"/cards/{members[1].member_id}", clerk)
    assert (released["status"], released["note"], released["addable"]) == ("未办卡", "办卡批次已撤销", True)
    assert (await get_json(client, f"/cards/{members[0].member_id}", clerk))["status"] == "已办卡"
    (revoked,) = await eventually(lambda: payloads(kafka.bootstrap, topics.CARDS, "cards.batch.revoked", batch_no))
    assert sorted(revoked["member_ids"]) == sorted(m.member_id for m in members[1:]) and revoked["version"] == 2

    # checked: an answer for the revoked batch changes nothing
    late = BankCardIssued(batch_no=batch_no, member_id=members[1].member_id, card_number_masked="6222 **** **** 0002",
                          issued_on=date(2026, 3, 6))  # fmt: skip
    assert await processed(client, await send_event(kafka.bootstrap, late))
    assert (await get_json(client, f"/cards/{members[1].member_id}", clerk))["status"] == "未办卡"
    assert (await get_json(client, f"/batches/{batch_no}", clerk))["issued_count"] == 1
    after = await client.post(f"/batches/{batch_no}/revocations", json=APPLICANT, headers=clerk)
    assert after.json()["code"] == "cards.batch_revoked"
    assert await dashboard_states(client) == (
        {"办理中": 0, "已完成": 0, "已撤销": 1},
        {"未办卡": 2, "待办中": 0, "已办卡": 1},
    )


async def test_a_batch_the_bank_finished_cannot_be_revoked(client, city: City, kafka):
    clerk = city.clerk(city.g1)
    await joined(client)
    members = [snapshot(i, city.g1) for i in range(2)]
    batch_no = await special_batch(client, kafka, city.g1, clerk, members)
    first = BankCardIssued(
        batch_no=batch_no, member_id=members[0].member_id, card_number_masked="6222 **** **** 0003",
        issued_on=date(2026, 3, 5),
    )  # fmt: skip
    await send_event(kafka.bootstrap, first)
    last = BankCardRejected(batch_no=batch_no, member_id=members[1].member_id, reason="证件已过期")
    assert await processed(client, await send_event(kafka.bootstrap, last))
    batch = await get_json(client, f"/batches/{batch_no}", clerk)
    assert (batch["state"], batch["revocable"], batch["waiting_count"]) == ("已完成", False, 0)
    r = await client.post(f"/batches/{batch_no}/revocations", json=APPLICANT, headers=clerk)
    assert (r.status_code, r.json()["code"]) == (409, "cards.revoke_completed")
    # checked: the refusal stored nothing
    assert (await get_json(client, f"/batches/{batch_no}", clerk))["revocations"] == []
    assert await dashboard_states(client) == (
        {"办理中": 0, "已完成": 1, "已撤销": 0},
        {"未办卡": 1, "待办中": 0, "已办卡": 1},
    )


async def dashboard_states(client) -> tuple[dict[str, float], dict[str, float]]:  # type: ignore[no-untyped-def]
    """Card batches and cards per state as /metrics shows them once the state gauge has counted
    (every CARDS_STATE_SCAN_SECONDS; counted here at once)."""
    await app_of(client).state.state_gauge.refresh()
    return await states_scraped(client, "cards.batch"), await states_scraped(client, "cards.card")
