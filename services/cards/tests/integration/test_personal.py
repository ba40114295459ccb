"""个人办卡: the 申工社 API, the platform's personal queue, the same check and batch submission."""

from __future__ import annotations

from datetime import date

from contracts import topics
from contracts.socialsec import CheckResult, SocialsecCheckReported
from localstack.pytest_plugin import eventually, send_event
from runtime.identity import make_id_number
from services.cards.tests.conftest import OUTLET, SEAL, SYSTEM, City, get_json, joined, payloads

ID = make_id_number("310104", date(1992, 7, 9), 21, True)
APPLICATION = {
    "name": "𠮷田太郎", "id_type": "身份证", "id_number": ID, "phone": "13712345678", "category": "灵活就业类",
    "work_unit": "某某外卖平台", "work_address": "上海市徐汇区漕溪北路18号", "id_expiry": "2031-06-30",
}  # fmt: skip


async def test_a_personal_application_goes_through_the_platforms_queue(client, city: City, kafka):
    await joined(client)
    admin = city.admin()
    # checked: only the partner (system) caller may apply; a bad field is named and nothing is stored
    refused = await client.post("/personal-applications", json=APPLICATION, headers=city.clerk(city.g1))
    assert (refused.status_code, refused.json()["code"]) == (403, "tier.forbidden")
    bad = await client.post("/personal-applications", json=APPLICATION | {"category": "关联企业类"}, headers=SYSTEM)
    assert (bad.status_code, bad.json()["code"]) == (422, "cards.personal_category")
    bad = await client.post("/personal-applications", json=APPLICATION | {"id_number": ID[:-1] + "Y"}, headers=SYSTEM)
    assert bad.status_code == 422 and bad.json()["field"] == "id_number"
    assert (await get_json(client, "/pending/progress", admin))["个人"]["total"] == 0

    r = await client.post("/personal-applications", json=APPLICATION, headers=SYSTEM | {"Idempotency-Key": "wx-1"})
    assert r.status_code == 201, r.text
    app = r.json()
    assert app["id"].startswith("pa-") and (app["status"], app["stage"]) == ("待办中", "待校验")
    assert (app["id_number"], app["phone"]) == (ID[:3] + "*" * 11 + ID[-4:], "137*****5678")
    again = await client.post("/personal-applications", json=APPLICATION, headers=SYSTEM | {"Idempotency-Key": "wx-1"})
    assert again.status_code == 201 and again.json()["id"] == app["id"]
    twice = await client.post("/personal-applications", json=APPLICATION, headers=SYSTEM)
    assert (twice.status_code, twice.json()["code"]) == (409, "cards.personal_duplicate")

    # checked: the queue is the platform's: a district neither sees nor touches it; the card list stays the unions'
    district = city.clerk(city.xuhui)
    assert (await get_json(client, "/pending/progress", district))["个人"]["total"] == 0
    (row,) = (await get_json(client, "/pending", admin, channel="个人"))["items"]
    assert (row["name"], row["id_expiry"], row["info_complete"], row["org_id"]) == (
        "𠮷田太郎",
        "2031-06-30",
        True,
        None,
    )
    assert (await client.get(f"/pending/{row['id']}", headers=district)).status_code == 404
    assert (await get_json(client, "/cards", admin))["total"] == 0
    switch = await client.put(f"/pending/{row['id']}/channel", json={"channel": "特殊"}, headers=admin)
    assert switch.json()["code"] == "cards.channel_personal"

    # the same social-security check
    r = await client.post("/pending/checks", json={"ids": [row["id"]]}, headers=admin)
    (request_id,) = r.json()["request_ids"]
    (asked,) = await eventually(
        lambda: payloads(kafka.bootstrap, topics.SOCIALSEC, "socialsec.check.requested", request_id)
    )
    assert SEAL.open(asked["subjects"][0]["id_sealed"]) == ID and asked["subjects"][0]["name"] == "𠮷田太郎"
    result = CheckResult(subject_id=str(row["id"]), found=True, name_on_record="𠮷田太郎")
    await send_event(
        kafka.bootstrap, SocialsecCheckReported(request_id=request_id, requester="cards", results=[result])
    )

    async def passed():  # type: ignore[no-untyped-def]
        body = await get_json(client, f"/personal-applications/{app['id']}", SYSTEM)
        return body if body["stage"] == "已通过待提交" else None

    assert await eventually(passed, timeout=60)

    # submission of the personal queue is the platform admin's
    not_platform = await client.post("/batches", json={"channel": "个人", **OUTLET}, headers=district)
    assert (not_platform.status_code, not_platform.json()["code"]) == (403, "cards.personal_platform_only")
    r = await client.post("/batches", json={"channel": "个人", **OUTLET}, headers=admin)
    assert r.status_code == 201, r.text
    batch = r.json()
    assert (batch["channel"], batch["org_id"], batch["total"]) == ("个人", city.root.org_id, 1)
    (sent,) = await eventually(
        lambda: payloads(kafka.bootstrap, topics.CARDS, "cards.batch.submitted", batch["batch_no"])
    )
    card = sent["cards"][0]
    assert (card["member_id"], card["gender"], card["birth_date"]) == (app["id"], "男", "1992-07-09")
    status = await get_json(client, f"/personal-applications/{app['id']}", SYSTEM)
    assert (status["stage"], status["batch_no"]) == ("银行办理中", batch["batch_no"])
    assert (await client.get(f"/batches/{batch['batch_no']}", headers=district)).status_code == 404
