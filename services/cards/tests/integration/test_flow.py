"""The card flow on the real broker: members.imported → eligible → pending → social-security check →
batch → the bank issues; duplicates and late answers change nothing."""

from __future__ import annotations

from datetime import date

from cards.domain.batches import batch_number
from contracts import topics
from contracts.bank import BankCardIssued, BankCardRejected
from contracts.members import MemberCategory
from contracts.socialsec import CheckResult, SocialsecCheckReported
from localstack.pytest_plugin import eventually, send_event
from services.cards.tests.conftest import (
    OUTLET,
    SEAL,
    City,
    app_of,
    cards_listed,
    get_json,
    import_members,
    joined,
    payloads,
    processed,
    snapshot,
)


async def _rows(client, headers, channel: str = "普通") -> dict[str, dict]:  # type: ignore[no-untyped-def]
    items = (await get_json(client, "/pending", headers, channel=channel, size=200))["items"]
    return {row["name"]: row for row in items}


async def test_import_to_issued_card(client, city: City, kafka):  # noqa: PLR0915 - one flow, step by step
    clerk = city.clerk(city.g1)
    await joined(client)
    members = [snapshot(i, city.g1) for i in range(6)]
    unnumbered = snapshot(6, city.g1, member_no=None, name="待编号")
    flexible = snapshot(7, city.g1, category=MemberCategory.FLEXIBLE, name="灵活")
    short_address = snapshot(8, city.g1, work_address="上海", name="短地址")
    import_id = await import_members(kafka.bootstrap, [*members, unnumbered, flexible, short_address])

    # checked: the six numbered members are listed 未办卡 and addable; the unnumbered one is listed, not
    # addable; flexible-employment and a short address are not in the workbench at all
    listed = await cards_listed(client, clerk, 7)
    by_name = {c["name"]: c for c in listed["items"]}
    assert set(by_name) == {*(m.name for m in members), "待编号"}
    assert all(by_name[m.name]["status"] == "未办卡" and by_name[m.name]["addable"] for m in members)
    assert not by_name["待编号"]["addable"] and "会员编号" in by_name["待编号"]["not_addable_reason"]
    assert by_name["会员0"]["id_number"] == members[0].id_number_masked
    changed = await eventually(lambda: payloads(kafka.bootstrap, topics.CARDS, "cards.eligibility.changed", import_id))
    assert len(changed) == 1 and len(changed[0]["changes"]) == 6
    assert all(c["eligible"] for c in changed[0]["changes"])

    # checked: adding the unnumbered member with others refuses all of them, naming who and why
    chosen = [m.member_id for m in members] + [unnumbered.member_id]
    r = await client.post("/cards/pending", json={"member_ids": chosen}, headers=clerk)
    assert (r.status_code, r.json()["code"]) == (409, "cards.not_addable")
    assert [m["member_id"] for m in r.json()["members"]] == [unnumbered.member_id]
    assert (await get_json(client, "/pending/progress", clerk))["普通"]["total"] == 0
    r = await client.post("/cards/pending", json={"member_ids": chosen[:6]}, headers=clerk)
    assert (r.status_code, r.json()) == (201, {"added": 6})
    again = await client.post("/cards/pending", json={"member_ids": chosen[:1]}, headers=clerk)
    assert again.json()["members"][0]["reason"] == "已在待办中或办卡批次中"
    assert (await get_json(client, f"/cards/{members[0].member_id}", clerk))["status"] == "待办中"

    # 提交系统校验: one request on socialsec.v1 with the rows as subjects and the sealed ID numbers
    rows = await _rows(client, clerk)
    r = await client.post("/pending/checks", json={"ids": [row["id"] for row in rows.values()]}, headers=clerk)
    assert r.status_code == 202 and r.json()["rows"] == 6
    (request_id,) = r.json()["request_ids"]
    (asked,) = await eventually(
        lambda: payloads(kafka.bootstrap, topics.SOCIALSEC, "socialsec.check.requested", request_id)
    )
    assert asked["checks"] == ["retirement", "name"] and asked["requester"] == "cards"
    subjects = {s["subject_id"]: s for s in asked["subjects"]}
    assert set(subjects) == {str(row["id"]) for row in rows.values()}
    assert SEAL.open(subjects[str(rows["会员0"]["id"])]["id_sealed"]) != ""

    # the report comes in two parts; the first part arrives twice
    def result(name: str, **kw) -> CheckResult:  # type: ignore[no-untyped-def]
        return CheckResult(**({"subject_id": str(rows[name]["id"]), "found": True, "name_on_record": name} | kw))

    retired = result("会员3", retired=True, retirement_month="2024-05")
    answered = [result("会员0"), result("会员1"), result("会员2"), retired, result("会员4", name_matches=False)]
    first = SocialsecCheckReported(request_id=request_id, requester="cards", results=answered)
    await send_event(kafka.bootstrap, first)
    after_first = await eventually(lambda: _checked(client, clerk, 5))
    await send_event(kafka.bootstrap, first)  # a connector that answers twice (a new ce_id: not the inbox's catch)
    failed = SocialsecCheckReported(request_id=request_id, requester="cards", results=[result("会员5", failure="超时")])
    await send_event(kafka.bootstrap, failed)
    assert await processed(client, await send_event(kafka.bootstrap, failed))
    rows = await _rows(client, clerk)
    # checked: the repeated part changed nothing (same states, same check times), the failure stays 校验中
    assert {n: (r["check_state"], r["checked_at"]) for n, r in rows.items() if n != "会员5"} == after_first
    assert (rows["会员3"]["check_state"], rows["会员3"]["check_reason"]) == ("未通过", "已退休")
    assert (rows["会员4"]["check_state"], rows["会员4"]["check_reason"]) == ("未通过", "姓名与社保登记不一致")
    assert rows["会员5"]["check_state"] == "校验中" and "重新提交" in rows["会员5"]["check_reason"]
    progress = (await get_json(client, "/pending/progress", clerk))["普通"]
    assert (progress["total"], progress["passed"], progress["failed"], progress["checking"]) == (6, 3, 2, 1)
    assert not progress["ready"]

    # the failed row is sent again; a late answer to the old request does not apply to it
    r = await client.post("/pending/checks", json={"ids": [rows["会员5"]["id"], rows["会员0"]["id"]]}, headers=clerk)
    assert r.json()["rows"] == 1  # 会员0 already passed: skipped
    (second_id,) = r.json()["request_ids"]
    late = SocialsecCheckReported(request_id=request_id, requester="cards", results=[result("会员5", found=False)])
    assert await processed(client, await send_event(kafka.bootstrap, late))
    assert (await _rows(client, clerk))["会员5"]["check_state"] == "校验中"
    answer = SocialsecCheckReported(request_id=second_id, requester="cards", results=[result("会员5")])
    await send_event(kafka.bootstrap, answer)
    assert await eventually(lambda: _checked(client, clerk, 6))

    # checked: submit refuses while rows have not passed, and changes nothing
    r = await client.post("/batches", json={"channel": "普通", **OUTLET}, headers=clerk)
    assert (r.status_code, r.json()["code"], r.json()["not_passed"]) == (409, "cards.not_all_passed", 2)
    expiry = await client.put(f"/pending/{rows['会员0']['id']}/expiry", json={"expiry": "2036-08-08"}, headers=clerk)
    assert expiry.status_code == 200 and expiry.json()["id_expiry"] == "2036-08-08"
    past = await client.put(f"/pending/{rows['会员1']['id']}/expiry", json={"expiry": "2026-03-01"}, headers=clerk)
    assert (past.status_code, past.json()["code"]) == (422, "cards.expiry_past")
    r = await client.put(f"/pending/{rows['会员1']['id']}/expiry", json={"long_term": True}, headers=clerk)
    assert r.json()["id_long_term"] is True
    r = await client.post("/pending/remove-unready", json={"channel": "普通"}, headers=clerk)
    assert r.json() == {"removed": 2}
    assert (await get_json(client, f"/cards/{members[3].member_id}", clerk))["status"] == "未办卡"

    # 提交办卡 → cb-YYYYMMDDhhmm001, rows locked in the batch, cards.batch.submitted for the bank
    r = await client.post("/batches", json={"channel": "普通", **OUTLET}, headers=clerk | {"Idempotency-Key": "k1"})
    assert r.status_code == 201, r.text
    batch = r.json()
    assert batch["batch_no"] == batch_number(app_of(client).state.clock.now(), 1) == "cb-202603020930001"
    assert batch["total"] == 4 and batch["state"] == "办理中"
    assert batch["contact_phone"] == "139*****1111" and batch["union_name"] == city.g1.name
    repeat = await client.post(
        "/batches", json={"channel": "普通", **OUTLET}, headers=clerk | {"Idempotency-Key": "k1"}
    )
    assert repeat.status_code == 201 and repeat.json()["batch_no"] == batch["batch_no"]
    assert (await get_json(client, "/pending/progress", clerk))["普通"]["total"] == 0
    (sent,) = await eventually(
        lambda: payloads(kafka.bootstrap, topics.CARDS, "cards.batch.submitted", batch["batch_no"])
    )
    assert len(sent["cards"]) == 4 and sent["contact_phone"] == OUTLET["contact_phone"] and sent["channel"] == "普通"
    card0 = next(c for c in sent["cards"] if c["member_id"] == members[0].member_id)
    assert card0["id_expiry"] == "2036-08-08" and SEAL.open(card0["id_sealed"]) == SEAL.open(members[0].id_sealed)
    locked = await client.post("/cards/pending", json={"member_ids": [members[0].member_id]}, headers=clerk)
    assert locked.status_code == 409

    # the bank answers: 会员0 issued (the answer arrives twice), 会员1 rejected
    issued = BankCardIssued(batch_no=batch["batch_no"], member_id=members[0].member_id,
                            card_number_masked="6222 **** **** 1234", issued_on=date(2026, 3, 9))  # fmt: skip
    await send_event(kafka.bootstrap, issued)
    await send_event(kafka.bootstrap, issued)
    rejected = BankCardRejected(batch_no=batch["batch_no"], member_id=members[1].member_id, reason="身份信息核验不通过")
    assert await processed(client, await send_event(kafka.bootstrap, rejected))
    card = await get_json(client, f"/cards/{members[0].member_id}", clerk)
    assert (card["status"], card["card_number"], card["issued_on"]) == ("已办卡", "6222 **** **** 1234", "2026-03-09")
    back = await get_json(client, f"/cards/{members[1].member_id}", clerk)
    assert back["status"] == "未办卡" and back["note"] == "银行办卡失败：身份信息核验不通过" and back["addable"]
    detail = await get_json(client, f"/batches/{batch['batch_no']}", clerk)
    assert (detail["issued_count"], detail["rejected_count"], detail["waiting_count"]) == (1, 1, 2)
    assert detail["feedback_at"] and detail["state"] == "办理中"
    outcomes = {c["name"]: c["outcome"] for c in detail["cards"]}
    assert outcomes == {"会员0": "已办卡", "会员1": "办卡失败", "会员2": "待反馈", "会员5": "待反馈"}
    # checked: one cards.card.issued for the member, however often the bank said so
    published = await eventually(
        lambda: payloads(kafka.bootstrap, topics.CARDS, "cards.card.issued", members[0].member_id)
    )
    assert [(p["version"], p["batch_no"], p["org_id"]) for p in published] == [(1, batch["batch_no"], city.g1.org_id)]


async def _checked(client, clerk, count: int):  # type: ignore[no-untyped-def]
    rows = await _rows(client, clerk)
    done = {n: (r["check_state"], r["checked_at"]) for n, r in rows.items() if r["check_state"] in ("已通过", "未通过")}
    return done if len(done) >= count else None
