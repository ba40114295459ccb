"""The programme model through the API: the city configures years and types, districts set the split
for their subtree inside the split window; bad configuration changes nothing."""

from __future__ import annotations

from services.enrollment.tests.conftest import (
    BASE,
    CITY,
    IN_COLLECTIVE,
    IN_SPLIT,
    app_of,
    card,
    configure_year,
    member,
    ok,
    overview,
    project_people,
)


async def test_the_city_configures_the_year_and_a_split_that_does_not_add_up_is_refused(client, city):
    """Checked: a type whose split does not add up is refused and not stored; a district cannot
    configure types; a reversed insurance period is refused."""
    await configure_year(client)
    year = await ok(await client.get(BASE, headers=city.clerk(city.g1)))
    assert (year["insurance_start"], year["insurance_end"], year["collective_pay_by"]) == (
        "2024-01-01", "2024-12-31", "2024-01-20",
    )  # fmt: skip
    assert {w["kind"]: w["open_now"] for w in year["windows"]}["collective"] is True
    types = {t["code"]: t for t in year["types"]}
    assert types["A"]["premium_fen"] == 2600 and types["A"]["default_split"] == {
        "city_fen": 1300, "district_fen": 1300, "grassroots_fen": 0,
    }  # fmt: skip
    assert types["A+"]["default_split"]["district_fen"] == 6300

    bad = {
        "name": "B类会员专享基本保障",
        "premium_fen": 5000,
        "city_fen": 1300,
        "district_fen": 1300,
        "grassroots_fen": 0,
    }
    refused = await client.put(f"{BASE}/types/B", json=bad, headers=CITY)
    assert (refused.status_code, refused.json()["code"]) == (422, "split.not_adding_up")
    # checked: the refused type was not stored
    assert "B" not in {t["code"] for t in (await ok(await client.get(BASE, headers=CITY)))["types"]}
    # checked: only the city configures
    forbidden = await client.put(f"{BASE}/types/B", json=bad | {"district_fen": 3700}, headers=city.clerk(city.xuhui))
    assert forbidden.status_code == 403
    reversed_year = await client.put(
        BASE, json={"insurance_start": "2024-12-31", "insurance_end": "2024-01-01", "collective_pay_by": "2024-01-20"},
        headers=CITY,
    )  # fmt: skip
    assert (reversed_year.status_code, reversed_year.json()["code"]) == (422, "year.period_order")


async def test_a_district_sets_the_split_for_its_subtree_inside_the_split_window(client, city, clock):
    """Checked: outside the split window, a split that does not add up, and a grassroots caller are refused;
    another district keeps the default; a type's price cannot change once it was submitted."""
    await configure_year(client)
    xuhui = city.clerk(city.xuhui)
    split = {"district_fen": 3300, "grassroots_fen": 3000}

    closed = await client.put(f"{BASE}/splits/A+", json=split, headers=xuhui)
    assert (closed.status_code, closed.json()["code"]) == (409, "window.closed")
    clock.set(IN_SPLIT)
    wrong = await client.put(f"{BASE}/splits/A+", json={"district_fen": 6300, "grassroots_fen": 1000}, headers=xuhui)
    assert (wrong.status_code, wrong.json()["code"]) == (422, "split.not_adding_up")
    assert (await client.put(f"{BASE}/splits/A+", json=split, headers=city.clerk(city.g1))).status_code == 403
    saved = await ok(await client.put(f"{BASE}/splits/A+", json=split, headers=xuhui))
    assert saved["split"] == {"city_fen": 1300, "district_fen": 3300, "grassroots_fen": 3000}
    listed = {s["type_code"]: s for s in await ok(await client.get(f"{BASE}/splits", headers=xuhui))}
    assert listed["A+"]["set_by"] and listed["A"]["split"] == listed["A"]["default_split"]

    # the subtree pays by the district's split; another district keeps the default
    clock.set(IN_COLLECTIVE)
    people = [member(city, city.g1, 0), member(city, city.h1, 0)]
    await project_people(app_of(client), people, [card(m) for m in people])
    mine = await overview(client, city.clerk(city.g1), type_code="A+")
    assert mine["premium"] == {"amount_fen": 7600, "city_fen": 1300, "district_fen": 3300, "grassroots_fen": 3000}
    theirs = await overview(client, city.clerk(city.h1), type_code="A+")
    assert theirs["premium"] == {"amount_fen": 7600, "city_fen": 1300, "district_fen": 6300, "grassroots_fen": 0}

    # once submitted, the type's price can no longer change
    await ok(
        await client.post(f"{BASE}/collective/submissions", json={"type_code": "A+"}, headers=city.clerk(city.g1)), 201
    )
    change = {
        "name": "A+类会员专享基本保障",
        "premium_fen": 6000,
        "city_fen": 2000,
        "district_fen": 4000,
        "grassroots_fen": 0,
    }
    in_use = await client.put(f"{BASE}/types/A+", json=change, headers=CITY)
    assert (in_use.status_code, in_use.json()["code"]) == (409, "type.in_use")
