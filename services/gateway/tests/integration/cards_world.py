"""会员服务卡 for the scope matrix (the cards service runs in-process behind the gateway): who may call
each /api/cards route, district B's cards (three eligible members of its grassroots union — one in a
submitted 特殊 batch with a revocation waiting for review, one on the 普通 pending list, one 未办卡),
probes aiming at them, and the check that they are unchanged afterwards."""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx

from localstack.pytest_plugin import eventually
from runtime.identity import make_id_number
from services.gateway.tests.conftest import Platform

UNION = {"city", "district", "secondary", "grassroots", "admin"}
# The policy, written down once more independently of gateway.domain.access.
CARDS_AUDIENCE: dict[str, set[str]] = {
    **dict.fromkeys(
        [
            *("search_cards", "export_cards", "get_card", "add_cards_to_pending", "add_all_cards_to_pending"),
            *("search_card_pending", "card_pending_progress", "request_card_checks", "remove_unready_card_pending"),
            *("get_card_pending", "change_card_expiry", "change_card_channel", "complete_card_info"),
            *("remove_card_pending", "submit_card_batch", "search_card_batches", "get_card_batch"),
            *("card_roster_pdf", "card_roster_xlsx", "request_card_revocation", "search_card_revocations"),
            "get_card_revocation",
        ],
        UNION,
    ),
    **dict.fromkeys(["approve_card_revocation", "reject_card_revocation"], {"district", "city", "admin"}),
}
# These act on the caller's own subtree whatever the request says (no id of district B to aim at):
# done there (nothing of the caller's to remove, 0) or refused there (nothing pending: 422).
OWN_SCOPE = {"remove_unready_card_pending", "submit_card_batch"}
OUTLET = {"branch": "工商银行黄浦支行", "outlet": "南京东路网点", "outlet_address": "上海市黄浦区南京东路100号",
          "contact": "乙区经办", "contact_phone": "13900002222"}  # fmt: skip


def cards_refusal_expected(name: str, r: httpx.Response) -> bool:
    """The service's own answer to a probe of an allowed tier that names nothing of B's in it."""
    if name in OWN_SCOPE:
        return r.status_code < 300 or r.status_code in (409, 422)
    # adding B's member: refused as 会员不存在或无权访问, without its name
    if name == "add_cards_to_pending" and r.status_code == 409:
        return all(m["name"] == "" for m in r.json()["members"])
    return False


def cards_probes(i: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Requests that aim at district B's cards from wherever the caller is."""
    b_gr, row, batch, revocation = i["b_gr"], i["b_card_row"], i["b_card_batch"], i["b_card_revocation"]
    of_row, of_batch, of_revocation = {"row_id": row}, {"batch_no": batch}, {"revocation_id": revocation}
    return {
        "search_cards": [{}, {"params": {"org_id": b_gr}}, {"params": {"name": "乙区"}}],
        "export_cards": [{}, {"params": {"org_id": b_gr}}],
        "get_card": [{"path": {"member_id": i["b_card_member"]}}, {"path": {"member_id": i["b_card_free"]}}],
        "add_cards_to_pending": [{"json": {"member_ids": [i["b_card_free"]]}}],
        "add_all_cards_to_pending": [{"json": {"org_id": b_gr}}],
        "search_card_pending": [{}, {"params": {"channel": "特殊"}}, {"params": {"name": "乙区"}}],
        "card_pending_progress": [{}],
        "request_card_checks": [{"json": {"ids": [row]}}],
        "remove_unready_card_pending": [{"json": {"channel": "普通"}}],
        "get_card_pending": [{"path": of_row}],
        "change_card_expiry": [{"path": of_row, "json": {"long_term": True}}],
        "change_card_channel": [{"path": of_row, "json": {"channel": "特殊"}}],
        "complete_card_info": [{"path": of_row, "json": {"id_type": "身份证", "long_term": True}}],
        "remove_card_pending": [{"path": of_row}],
        "submit_card_batch": [{"json": {"channel": "普通", **OUTLET}}],
        "search_card_batches": [{}, {"params": {"batch_no": batch}}],
        "get_card_batch": [{"path": of_batch}],
        "card_roster_pdf": [{"path": of_batch}],
        "card_roster_xlsx": [{"path": of_batch}],
        "request_card_revocation": [
            {"path": of_batch, "json": {"applicant_name": "探测", "applicant_phone": "13900003333"}}
        ],
        "search_card_revocations": [{}, {"params": {"batch_no": batch}}],
        "get_card_revocation": [{"path": of_revocation}],
        "approve_card_revocation": [{"path": of_revocation}],
        "reject_card_revocation": [{"path": of_revocation, "json": {"reason": "探测"}}],
    }


async def cards_of_b(p: Platform, ids: dict[str, Any]) -> None:
    """Three 关联企业类 members of B's grassroots union, numbered by the members service and eligible
    in the cards service; the first one goes through the special channel into a batch whose
    revocation is asked for, the second waits on the normal pending list, the third stays 未办卡."""
    clerk = await p.gateway.signed_in("b-jc")
    made = [await _linked_member(clerk, ids["b_gr"], i) for i in range(3)]

    async def eligible() -> bool:
        r = await clerk.get("/api/cards/cards", params={"org_id": ids["b_gr"], "size": 200})
        return r.status_code == 200 and sum(c["addable"] for c in r.json()["items"]) == 3

    assert await eventually(eligible, timeout=120), "district B's members never became eligible for a card"
    added = await clerk.post("/api/cards/cards/pending", json={"member_ids": [m["id"] for m in made[:2]]})
    assert added.status_code == 201, added.text
    rows = {r["member_id"]: r for r in (await clerk.get("/api/cards/pending")).json()["items"]}
    special = rows[made[0]["id"]]["id"]
    assert (await clerk.put(f"/api/cards/pending/{special}/channel", json={"channel": "特殊"})).status_code == 200
    info = {"id_type": "身份证", "long_term": True, "nationality": "中国"}
    assert (await clerk.put(f"/api/cards/pending/{special}/info", json=info)).status_code == 200
    batch = await clerk.post("/api/cards/batches", json={"channel": "特殊", **OUTLET})
    assert batch.status_code == 201, batch.text
    asked = {"applicant_name": "乙区经办", "applicant_phone": "13900002222"}
    revocation = await clerk.post(f"/api/cards/batches/{batch.json()['batch_no']}/revocations", json=asked)
    assert revocation.status_code == 201, revocation.text
    ids |= {"b_card_member": made[0]["id"], "b_card_free": made[2]["id"], "b_card_row": rows[made[1]["id"]]["id"]}
    ids |= {"b_card_batch": batch.json()["batch_no"], "b_card_revocation": revocation.json()["id"]}


async def _linked_member(client: httpx.AsyncClient, org_id: int, i: int) -> dict[str, Any]:
    male = i % 2 == 0
    body = {
        "name": f"乙区持卡{'甲乙丙'[i]}", "id_type": "身份证", "gender": "男" if male else "女",
        "id_number": make_id_number("310101", date(1985, 3, 1 + i), 40 + i, male), "phone": f"1370000{i:04d}",
        "org_id": org_id, "category": "关联企业类", "work_unit": "乙区某某公司",
        "work_address": "上海市黄浦区某某路88号",
    }  # fmt: skip
    r = await client.post("/api/members", json=body)
    assert r.status_code == 201, r.text
    return r.json()  # type: ignore[no-any-return]


async def b_cards_are_unchanged(admin: httpx.AsyncClient, ids: dict[str, Any]) -> None:
    row = (await admin.get(f"/api/cards/pending/{ids['b_card_row']}")).json()
    assert (row["channel"], row["check_state"], row["id_expiry"]) == ("普通", "未校验", None)
    assert not row["id_long_term"]
    batch = (await admin.get(f"/api/cards/batches/{ids['b_card_batch']}")).json()
    assert (batch["state"], batch["total"], batch["revocation_state"]) == ("办理中", 1, "审核中")
    assert [r["state"] for r in batch["revocations"]] == ["审核中"]
    assert (await admin.get(f"/api/cards/cards/{ids['b_card_free']}")).json()["status"] == "未办卡"
    assert (await admin.get(f"/api/cards/cards/{ids['b_card_member']}")).json()["status"] == "待办中"
    of_b = (await admin.get("/api/cards/pending", params={"size": 200})).json()["items"]
    assert [r["id"] for r in of_b if r["org_id"] == ids["b_gr"]] == [ids["b_card_row"]]
