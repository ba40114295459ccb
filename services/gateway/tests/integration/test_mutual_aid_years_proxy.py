"""互助保障 年度设置 through the gateway, with the enrollment service behind it (its own process): the city
reads the year and sets its 清册校验 rules (a wrong one refused with the service's problem+json); the insurer
downloads the templates, loads the 建议清册 (a 1.4 MB file, past the gateway's 1 MB default body limit) and
the 社保在职人数 as files — a file with a wrong row loads nothing and comes back with every wrong row — and
lists and exports them with the ID numbers masked. Tiers are kept to their part; the operation log names
the uploads and the exports."""

from __future__ import annotations

import base64
import io
import os
from typing import Any

from openpyxl import Workbook, load_workbook

from runtime.identity import mask_id_number
from services.gateway.tests.conftest import Gateway
from services.gateway.tests.integration.mutual_aid_batches_world import API, XLSX, configure_years, ok, person_id
from services.gateway.tests.integration.test_mutual_aid_codes_proxy import codes_gateway  # noqa: F401 (the fixture)


def sheet(content: bytes) -> list[tuple[Any, ...]]:
    return list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))  # type: ignore[union-attr]


def book(header: tuple[str, ...], rows: list[tuple[Any, ...]]) -> bytes:
    workbook = Workbook()
    ws = workbook.active
    assert ws is not None
    ws.append(list(header))
    for row in rows:
        ws.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


SUGGESTED = ("*姓名", "*证件号码", "*单位社保编码", "*职退状态 (在职、退休、-)")
HEADCOUNTS = ("*单位社保编码", "单位名称", "*社保在职人数")


async def test_the_city_sets_the_rules_and_the_insurer_loads_the_years_files(codes_gateway: Gateway):  # noqa: F811
    gw = codes_gateway
    city, insurer, unit = [await gw.signed_in(a) for a in ("shizong", "zhibao", "jiceng")]
    year = (await configure_years(str(gw.app.state.settings.enrollment_url)))[0]
    assert "mutual-aid-years" in (await ok(await city.get("/api/me")))["menus"]
    insurer_menus = set((await ok(await insurer.get("/api/me")))["menus"])
    assert {
        "mutual-aid-suggested",
        "mutual-aid-headcounts",
    } <= insurer_menus and "mutual-aid-years" not in insurer_menus

    # 互助保障年度设置: the city's rules; the service's refusal as it is; the insurer may not set them
    shown = await ok(await city.get(f"{API}/years/{year}"))
    assert [(i["code"], i["full_fen"], i["half_fen"]) for i in shown["items"]][:3] == [
        ("A0", 12000, 6000), ("B0", 5500, 2750), ("C0", 1500, 750),
    ]  # fmt: skip
    rules = shown["rules"] | {"change_pct": 12, "small_unit_max": 8}
    assert (await ok(await city.put(f"{API}/years/{year}/rules", json=rules)))["change_pct"] == 12
    reversed_ratio = await city.put(f"{API}/years/{year}/rules", json=rules | {"ratio_min_pct": 101})
    assert reversed_ratio.status_code == 422
    assert reversed_ratio.headers["content-type"].startswith("application/problem+json")
    assert reversed_ratio.json()["code"] == "rules.ratio_order"
    assert (await ok(await city.get(f"{API}/years/{year}")))["rules"]["ratio_min_pct"] == shown["rules"][
        "ratio_min_pct"
    ]
    assert (await insurer.put(f"{API}/years/{year}/rules", json=rules)).json()["code"] == "tier.forbidden"

    # 建议清册: the template, then a file past the gateway's default 1 MB (a wide notes column beside the data)
    template = await insurer.get(f"{API}/suggested-template")
    assert template.headers["content-type"].startswith(XLSX) and sheet(template.content) == [SUGGESTED]
    wang, li = person_id(31, male=False), person_id(32)
    noise = [base64.b64encode(os.urandom(24_000)).decode() for _ in range(60)]
    people = [("王梅", wang, "00108537", "在职", noise[0]), ("李强", li, "00108537", "退休", noise[1])]
    people += [(f"职工{n}", person_id(100 + n), "00200001", "在职", noise[n]) for n in range(2, 60)]
    content = book(SUGGESTED, people)
    assert len(content) > 1024 * 1024
    sent = {"params": {"file_name": "建议清册.xlsx"}, "headers": {"content-type": XLSX}}
    loaded = await ok(await insurer.post(f"{API}/years/{year}/suggested/upload", content=content, **sent))
    assert (loaded["rows"], loaded["added"], loaded["updated"]) == (60, 60, 0)
    assert (await city.post(f"{API}/years/{year}/suggested/upload", content=content, **sent)).status_code == 403

    # a wrong row: nothing loaded, every wrong row back as the service said it
    wrong = book(SUGGESTED, [("赵六", person_id(40), "00300001", "在职"), ("", person_id(41), "00300001", "离职")])
    refused = await insurer.post(f"{API}/years/{year}/suggested/upload", content=wrong, **sent)
    assert refused.status_code == 422 and refused.headers["content-type"].startswith("application/problem+json")
    assert [(r["row_no"], r["column"]) for r in refused.json()["rows"]] == [(3, "姓名"), (3, "职退状态")]

    # the list: filters and paging, the ID number masked; the export with the same filters
    found = await ok(await insurer.get(f"{API}/years/{year}/suggested", params={"unit_code": "00108537"}))
    assert [(r["name"], r["id_number"], r["employment"]) for r in found["items"]] == [
        ("李强", mask_id_number(li), "退休"), ("王梅", mask_id_number(wang), "在职"),
    ]  # fmt: skip
    by_number = await ok(await insurer.get(f"{API}/years/{year}/suggested", params={"id_number": wang}))
    assert [r["name"] for r in by_number["items"]] == ["王梅"]
    paged = await ok(await insurer.get(f"{API}/years/{year}/suggested", params={"page": 3, "size": 25}))
    assert (paged["total"], len(paged["items"])) == (60, 10)
    assert (await ok(await insurer.get(f"{API}/years/{year}/suggested", params={"unit_code": "003"})))["total"] == 0
    exported = await insurer.get(f"{API}/years/{year}/suggested/export", params={"unit_code": "00108537"})
    assert [r[:3] for r in sheet(exported.content)[1:]] == [
        ("李强", mask_id_number(li), "00108537"), ("王梅", mask_id_number(wang), "00108537"),
    ]  # fmt: skip
    assert (await unit.get(f"{API}/years/{year}/suggested")).json()["code"] == "tier.forbidden"

    # 社保在职人数
    assert sheet((await insurer.get(f"{API}/headcount-template")).content) == [HEADCOUNTS]
    units = book(HEADCOUNTS, [("00108537", "上海卓远人力资源发展有限公司", 50), ("00200001", "上海某某公司", 58)])
    assert (await ok(await insurer.post(f"{API}/years/{year}/headcounts/upload", content=units, **sent)))["rows"] == 2
    bad_units = book(HEADCOUNTS, [("00300001", "某单位", -1)])
    refused_units = await insurer.post(f"{API}/years/{year}/headcounts/upload", content=bad_units, **sent)
    assert (refused_units.status_code, refused_units.json()["rows"][0]["column"]) == (422, "社保在职人数")
    listed = await ok(await insurer.get(f"{API}/years/{year}/headcounts", params={"unit_code": "001"}))
    assert [(u["unit_code"], u["headcount"]) for u in listed["items"]] == [("00108537", 50)]
    exported_units = await insurer.get(f"{API}/years/{year}/headcounts/export")
    assert [r[:3] for r in sheet(exported_units.content)[1:]] == [
        ("00108537", "上海卓远人力资源发展有限公司", 50), ("00200001", "上海某某公司", 58),
    ]  # fmt: skip

    # the operation log: the rules, the uploads (refused ones too) and the exports, by name
    audit = (await city.get("/api/audit", params={"size": 200})).json()["items"]
    logged = {(e["action"], e["action_label"], e["outcome"]) for e in audit}
    assert {
        ("put_mutual_aid_rules", "设置年度校验规则", "success"),
        ("upload_suggested_roster", "上传建议清册文件", "success"),
        ("upload_suggested_roster", "上传建议清册文件", "failure"),
        ("upload_suggested_roster", "上传建议清册文件", "denied"),
        ("export_suggested_roster", "导出建议清册", "success"),
        ("upload_unit_headcounts", "上传社保在职人数文件", "success"),
        ("export_unit_headcounts", "导出社保在职人数", "success"),
    } <= logged
