"""即时参保 (manual 001): card holders without cover and the SS-card channel through the social-security
check, one type per union and year, the instant batch, cover from the day after payment is confirmed,
and a batch lapsing when its pay-by date passes unpaid."""

from __future__ import annotations

from datetime import date

from sqlmodel import select

from contracts.billing import BillingPaymentConfirmed
from contracts.envelope import new_envelope
from contracts.socialsec import CheckResult, SocialsecCheckReported
from enrollment.service import checks, payments
from localstack.pytest_plugin import states_scraped
from runtime.outbox import OutboxMessage
from services.enrollment.tests.conftest import (
    BASE,
    CITY,
    IN_INSTANT,
    YEAR,
    app_of,
    at,
    card,
    configure_year,
    member,
    ok,
    project_people,
)

HANDLER = {"name": "李经办", "phone": "13800002222", "email": "li@example.com"}
INSTANT = {"programme": "member-basic", "year": YEAR, "enrollment_type": "即时参保"}


async def _report(client, request_id: str, answers: dict[str, dict]) -> None:  # type: ignore[type-arg,no-untyped-def]
    """The adapter's answer through the consumer's use case (the broker path is tested in test_collective)."""
    results = [CheckResult(subject_id=m, **a) for m, a in answers.items()]
    event = SocialsecCheckReported(request_id=request_id, requester="enrollment", results=results)
    async with app_of(client).state.sessions() as session, session.begin():
        await checks.on_reported(session, event, new_envelope("/adapters/socialsec", event))


async def _candidates(client, headers, channel: str, **params) -> dict[str, dict]:  # type: ignore[no-untyped-def,type-arg]
    body = await ok(
        await client.get(f"{BASE}/instant/candidates", params={"channel": channel, **params}, headers=headers)
    )
    return {row["member_id"]: row for row in body["items"]}


async def test_instant_enrollment_through_both_channels_to_cover_from_the_day_after_payment(client, city, clock):
    """Checked: nothing ticked, a row still 待校验, a second guarantee type in the year and a member
    enrolled twice are refused."""
    await configure_year(client)
    clock.set(IN_INSTANT)  # 2024-05-10
    g1, xuhui = city.clerk(city.g1), city.clerk(city.xuhui)
    c_new, c_old, s_ok, s_unemployed, s_sealed = (member(city, city.g1, i) for i in range(5))
    await project_people(
        app_of(client), [c_new, c_old, s_ok, s_unemployed, s_sealed],
        [card(c_new, issued_on=date(2024, 3, 1)), card(c_old, issued_on=date(2023, 6, 1))],
    )  # fmt: skip

    cards = await _candidates(client, g1, "会员卡参保")
    assert set(cards) == {c_new.member_id, c_old.member_id}
    assert (cards[c_new.member_id]["newly_carded"], cards[c_old.member_id]["newly_carded"]) == (True, False)
    assert cards[c_old.member_id]["expected_cover_start"] == "2024-05-11"  # 起保日期: the day after

    # SS-card channel: everyone waits in 待校验 until social security answers
    ss = await _candidates(client, g1, "社保卡参保")
    assert {r["list"] for r in ss.values()} == {"待校验"} and len(ss) == 3
    sent = await ok(await client.post(f"{BASE}/instant/checks", json={}, headers=g1), 202)
    employed = {"found": True, "ss_card_held": True, "employment_unit": "某公司"}
    await _report(client, sent["request_ids"][0], {
        s_ok.member_id: employed, s_unemployed.member_id: employed | {"employment_unit": ""},
        s_sealed.member_id: employed | {"ss_card_held": False},
    })  # fmt: skip
    ss = await _candidates(client, g1, "社保卡参保")
    assert {m: r["list"] for m, r in ss.items()} == {
        s_ok.member_id: "待提交", s_unemployed.member_id: "待校验", s_sealed.member_id: "待校验",
    }  # fmt: skip
    assert "会员服务卡" in ss[s_sealed.member_id]["reason"]
    await ok(
        await client.post(f"{BASE}/instant/confirmations", json={"member_ids": [s_unemployed.member_id]}, headers=g1)
    )
    assert (await _candidates(client, g1, "社保卡参保"))[s_unemployed.member_id]["list"] == "待提交"

    # submissions: something ticked, only ready people, one type per union and year
    submit = f"{BASE}/instant/submissions"
    none = await client.post(submit, json={"type_code": "A", "channel": "社保卡参保", "member_ids": []}, headers=g1)
    assert (none.status_code, none.json()["title"]) == (409, "请在【待提交】中勾选要参保的人员!")
    sealed = await client.post(submit, json={"type_code": "A", "channel": "社保卡参保",
                                             "member_ids": [s_sealed.member_id]}, headers=g1)  # fmt: skip
    assert sealed.json()["code"] == "instant.member_not_ready"
    by_ss = await ok(await client.post(submit, json={"type_code": "A", "channel": "社保卡参保",
                                                     "member_ids": [s_ok.member_id, s_unemployed.member_id]},
                                       headers=g1), 201)  # fmt: skip
    assert (by_ss["persons"], by_ss["amount_fen"], by_ss["enrollment_type"]) == (2, 5200, "即时参保")
    other_type = await client.post(submit, json={"type_code": "A+", "channel": "会员卡参保",
                                                 "member_ids": [c_new.member_id]}, headers=g1)  # fmt: skip
    assert (other_type.status_code, other_type.json()["code"]) == (409, "type.one_per_year")
    by_card = await ok(await client.post(submit, json={"type_code": "A", "channel": "会员卡参保",
                                                       "member_ids": [c_new.member_id]}, headers=g1), 201)  # fmt: skip
    twice = await client.post(submit, json={"type_code": "A", "channel": "会员卡参保",
                                            "member_ids": [c_new.member_id]}, headers=g1)  # fmt: skip
    assert twice.json()["code"] == "instant.member_not_ready"  # already enrolled this year

    # the district reviews (the channel filter of manual 001) and sends an instant batch
    pending = await ok(await client.get("/review/pending", params=INSTANT | {"channel": "社保卡参保"}, headers=xuhui))
    assert [p["persons"] for p in pending["items"]] == [2]
    ids = by_ss["submission_ids"] + by_card["submission_ids"]
    await ok(await client.post("/review/stage", json={"submission_ids": ids}, headers=xuhui))
    totals = (await ok(await client.get("/review/staged", params=INSTANT, headers=xuhui)))["totals"]
    assert totals == {
        "persons": 3, "persons_member_card": 1, "persons_ss_card": 2,
        "amounts": {"amount_fen": 7800, "city_fen": 3900, "district_fen": 3900, "grassroots_fen": 0},
    }  # fmt: skip
    batch = await ok(await client.post("/batches", json=INSTANT | {"handler": HANDLER}, headers=xuhui), 201)
    assert (batch["pay_by"], batch["coverage_start"], batch["persons_ss_card"]) == ("2024-05-25", None, 2)

    # paid and confirmed on May 20: cover from May 21 to the year's end, never earlier
    paid = BillingPaymentConfirmed(batch_no=batch["batch_no"], paid_amount_fen=7800, confirmed_at=at(2024, 5, 20, 16))
    async with app_of(client).state.sessions() as session, session.begin():
        await payments.on_payment_confirmed(session, paid, new_envelope("/services/billing", paid))
    history = await ok(await client.get(f"/members/{s_ok.member_id}/coverage", headers=g1))
    assert [(h["state"], h["channel"], h["cover_start"], h["cover_end"]) for h in history] == [
        ("已生效", "社保卡参保", "2024-05-21", "2024-12-31")
    ]


async def _batches_by_state(client) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """The business dashboard's enrollment batches per state: /metrics once the state gauge has counted
    (every ENROLLMENT_STATE_SCAN_SECONDS; counted here at once)."""
    await app_of(client).state.state_gauge.refresh()
    return await states_scraped(client, "enrollment.batch")


async def test_an_unpaid_batch_lapses_after_its_pay_by_date_and_its_members_can_enrol_again(client, city, clock):
    """Checked: nothing lapses on the pay-by day itself, a grassroots caller cannot run the lapse, and a
    confirmation arriving after the lapse changes nothing."""
    await configure_year(client)
    clock.set(IN_INSTANT)
    h1, huangpu = city.clerk(city.h1), city.clerk(city.huangpu)
    person = member(city, city.h1, 0)
    await project_people(app_of(client), [person], [card(person)])
    request = {"type_code": "A", "channel": "会员卡参保", "member_ids": [person.member_id]}
    sub = await ok(await client.post(f"{BASE}/instant/submissions", json=request, headers=h1), 201)
    await ok(await client.post("/review/stage", json={"submission_ids": sub["submission_ids"]}, headers=huangpu))
    batch = await ok(await client.post("/batches", json=INSTANT | {"handler": HANDLER}, headers=huangpu), 201)
    assert await _batches_by_state(client) == {"待缴费": 1, "已完成": 0, "已失效": 0}

    # on the pay-by day nothing lapses; the day after, the batch and its enrollments do
    clock.set(at(2024, 5, 25, 23, 0))
    assert await ok(await client.post("/batches/lapse-overdue", headers=CITY)) == {"lapsed": []}
    clock.set(at(2024, 5, 26, 9, 0))
    assert (await client.post("/batches/lapse-overdue", headers=h1)).status_code == 403
    assert await ok(await client.post("/batches/lapse-overdue", headers=CITY)) == {"lapsed": [batch["batch_no"]]}
    assert (await ok(await client.get(f"/batches/{batch['batch_no']}", headers=huangpu)))["state"] == "已失效"
    history = await ok(await client.get(f"/members/{person.member_id}/coverage", headers=h1))
    assert [h["state"] for h in history] == ["已失效"]
    async with app_of(client).state.sessions() as s:
        lapsed = (await s.exec(select(OutboxMessage).where(OutboxMessage.ce_type == "enrollment.batch.lapsed"))).all()
    assert [m.key for m in lapsed] == [batch["batch_no"]]
    assert await _batches_by_state(client) == {"待缴费": 0, "已完成": 0, "已失效": 1}

    # a late confirmation changes nothing (billing refunds it); the member may be enrolled anew
    late = BillingPaymentConfirmed(batch_no=batch["batch_no"], paid_amount_fen=2600, confirmed_at=at(2024, 5, 27, 9))
    async with app_of(client).state.sessions() as session, session.begin():
        await payments.on_payment_confirmed(session, late, new_envelope("/services/billing", late))
    assert (await ok(await client.get(f"/batches/{batch['batch_no']}", headers=huangpu)))["state"] == "已失效"
    assert person.member_id in await _candidates(client, h1, "会员卡参保")
