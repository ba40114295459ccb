"""集中参保 of a grassroots union: social-security facts through the adapter's topic, the automatic
exclusions, confirmations that cannot be undone, exclusions, resubmission (the last counts), 退回."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from contracts import topics
from contracts.socialsec import CheckResult, SocialsecCheckReported
from localstack.pytest_plugin import eventually, read_topic, send_event
from services.enrollment.tests.conftest import (
    BASE,
    YEAR,
    app_of,
    at,
    card,
    configure_year,
    member,
    ok,
    overview,
    project_people,
)

EMPLOYED = {"found": True, "ss_card_held": True, "employment_unit": "上海建朗信息科技有限公司"}


async def _requested(bootstrap: str, request_ids: list[str]) -> list[dict[str, Any]]:
    out = []
    for record in await read_topic(bootstrap, topics.SOCIALSEC):
        body = json.loads(record.value)
        if body.get("request_id") in request_ids:
            out.append(body)
    return out


async def test_exclusions_confirmations_and_the_last_submission_counting(client, city, clock, kafka):
    """Checked: confirming someone not pending, removing a confirmed member, returning without a reason,
    submitting after the deadline, and reading another union's list are refused."""
    await configure_year(client)
    g1 = city.clerk(city.g1)
    people = [member(city, city.g1, i) for i in range(6)]
    people[5] = member(city, city.g1, 5, gender="女", birth=date(1968, 11, 1))  # 55 on 2023-11-01: before the year
    carded = [p for i, p in enumerate(people) if i != 2]
    await project_people(app_of(client), people, [card(p) for p in carded])

    # 获取社保状态: the request goes out on socialsec.v1, the adapter's answer comes back on it
    sent = await ok(await client.post(f"{BASE}/collective/checks", json={}, headers=g1), 202)
    assert (sent["members"], sent["skipped"]) == (6, 0)
    requests = await eventually(lambda: _requested(kafka.bootstrap, sent["request_ids"]), timeout=30)
    assert requests and requests[0]["requester"] == "enrollment"
    assert {s["subject_id"] for s in requests[0]["subjects"]} == {p.member_id for p in people}
    answers = {
        0: EMPLOYED, 1: {"found": True, "ss_card_held": True}, 2: EMPLOYED, 3: EMPLOYED | {"retired": True},
        4: EMPLOYED | {"deceased": True}, 5: EMPLOYED,
    }  # fmt: skip
    results = [CheckResult(subject_id=people[i].member_id, **a) for i, a in answers.items()]
    report = SocialsecCheckReported(request_id=sent["request_ids"][0], requester="enrollment", results=results)
    await send_event(kafka.bootstrap, report, source="/adapters/socialsec")

    async def answered():  # type: ignore[no-untyped-def]
        body = await overview(client, g1)
        return body if body["counts"]["retired"] == 1 else None

    counts = (await eventually(answered, timeout=120))["counts"]
    assert {k: counts[k] for k in ("total_members", "insured", "pending", "retired", "deceased", "without_card")} == {
        "total_members": 6, "insured": 2, "pending": 2, "retired": 1, "deceased": 1, "without_card": 0,
    }  # fmt: skip
    assert counts["flagged_retiring"] == 1
    pending = await ok(await client.get(f"{BASE}/collective/members", params={"list": "待确认"}, headers=g1))
    assert {r["member_id"] for r in pending["items"]} == {people[1].member_id, people[2].member_id}

    # confirm one, then all: they join (the card-less SS-card holder through the SS-card channel)
    not_pending = await client.post(f"{BASE}/collective/confirmations", json={"member_ids": [people[0].member_id]},
                                    headers=g1)  # fmt: skip
    assert (not_pending.status_code, not_pending.json()["code"]) == (409, "confirm.not_pending")
    one = await ok(await client.post(f"{BASE}/collective/confirmations", json={"member_ids": [people[1].member_id]},
                                     headers=g1))  # fmt: skip
    assert one == {"count": 1}
    assert await ok(await client.post(f"{BASE}/collective/confirmations", json={"all": True}, headers=g1)) == {
        "count": 1
    }
    counts = (await overview(client, g1))["counts"]
    assert (counts["insured"], counts["member_card"], counts["ss_card"], counts["pending"]) == (4, 3, 1, 0)

    # the clerk excludes the member retiring before the year; a confirmed member cannot be removed
    kept = await client.post(f"{BASE}/collective/exclusions", json={"member_ids": [people[1].member_id]}, headers=g1)
    assert (kept.status_code, kept.json()["code"]) == (409, "confirm.cannot_remove")
    await ok(await client.post(f"{BASE}/collective/exclusions", json={"member_ids": [people[5].member_id]}, headers=g1))
    assert (await overview(client, g1))["counts"]["insured"] == 3

    # submit, resubmit with another type: the last one counts
    first = await ok(await client.post(f"{BASE}/collective/submissions", json={"type_code": "A"}, headers=g1), 201)
    assert (first["persons"], first["amount_fen"], len(first["submission_ids"])) == (3, 7800, 2)
    second = await ok(await client.post(f"{BASE}/collective/submissions", json={"type_code": "A+"}, headers=g1), 201)
    assert (second["persons"], second["amount_fen"]) == (3, 22800)
    params = {"programme": "member-basic", "year": YEAR}
    mine = await ok(await client.get("/submissions", params=params, headers=g1))
    states = {item["id"]: item["state"] for item in mine["items"]}
    assert {states[i] for i in first["submission_ids"]} == {"已替代"}
    assert {states[i] for i in second["submission_ids"]} == {"待审核"}
    over = await overview(client, g1)
    assert (over["counts"]["submitted"], over["type_code"], over["last_submission"]["request_id"]) == (
        3, "A+", second["request_id"],
    )  # fmt: skip

    # the district returns one part with a reason the unit sees; a reason is required
    xuhui = city.clerk(city.xuhui)
    ss_part = [i for i in second["submission_ids"] if (await ok(await client.get(f"/submissions/{i}", headers=g1)))[
        "channel"] == "社保卡参保"]  # fmt: skip
    no_reason = await client.post("/review/return", json={"submission_ids": ss_part, "reason": " "}, headers=xuhui)
    assert (no_reason.status_code, no_reason.json()["code"]) == (422, "review.reason_required")
    await ok(
        await client.post("/review/return", json={"submission_ids": ss_part, "reason": "社保卡人员有误"}, headers=xuhui)
    )
    back = await ok(await client.get(f"/submissions/{ss_part[0]}", headers=g1))
    assert (back["state"], back["return_reason"], back["returned_by"]) == (
        "已退回",
        "社保卡人员有误",
        f"clerk-{city.xuhui.org_id}",
    )

    # the deadline: after Dec 25 (Shanghai) no more submissions
    clock.set(at(2023, 12, 26, 0, 0))
    late = await client.post(f"{BASE}/collective/submissions", json={"type_code": "A+"}, headers=g1)
    assert (late.status_code, late.json()["code"]) == (409, "window.closed")
    # another union cannot look at this one's list
    assert (await client.get(f"{BASE}/collective", params={"org_id": city.g1.org_id},
                             headers=city.clerk(city.g2))).status_code == 404  # fmt: skip
