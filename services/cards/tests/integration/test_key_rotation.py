"""Key rotation in cards on a real database: partner-sealed ID numbers (members' copies and personal
applicants') moved from key 1 to key 2, and the personal applicants' keyed hash remade under a new
CARDS_BLIND_INDEX_KEY with the service stopped."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from cards.main import create_app
from cards.service import eligibility, rekeying
from cards.settings import CardsSettings
from localstack.pytest_plugin import running
from runtime import rekey
from runtime.clock import FixedClock
from runtime.db import create_engine, session_factory
from runtime.identity import make_id_number
from runtime.pii import BlindIndex, KeyRing, PartnerSeal, key_from_text, new_key_text
from services.cards.tests.conftest import NOW, SYSTEM, City, app_of, snapshot

APPLICATION = {
    "name": "张三", "id_type": "身份证", "phone": "13712345678", "category": "灵活就业类",
    "work_unit": "某某外卖平台", "work_address": "上海市徐汇区漕溪北路18号", "id_expiry": "2031-06-30",
}  # fmt: skip
APPLICANTS = [make_id_number("310104", date(1992, 7, 9) + timedelta(days=i), 21, True) for i in range(3)]


async def _sealed(settings: CardsSettings) -> dict[str, tuple[str, bytes | None]]:
    engine = create_engine(settings.database_url, pool_size=1)
    try:
        async with engine.connect() as connection:
            rows = await connection.execute(sa.text("SELECT member_id, id_sealed, id_digest FROM card_member"))
            return {r[0]: (r[1], r[2]) for r in rows}
    finally:
        await engine.dispose()


async def test_partner_texts_move_to_key_2_and_personal_digests_to_a_new_key(cards_settings: CardsSettings) -> None:
    clock = FixedClock(NOW)
    async with running(create_app(cards_settings, clock)) as client:
        app = app_of(client)
        city = await City().project(app)
        members = [snapshot(i, city.g1) for i in range(4)]  # sealed under key 1, as members sends them
        async with app.state.sessions() as session, session.begin():
            await eligibility.apply_snapshots(session, "imp-rotation", members)
        for number in APPLICANTS:
            r = await client.post("/personal-applications", json=APPLICATION | {"id_number": number}, headers=SYSTEM)
            assert r.status_code == 201, r.text
    before = await _sealed(cards_settings)
    assert len(before) == 7 and {PartnerSeal.key_id(s) for s, _ in before.values()} == {1}

    rotated = cards_settings.model_copy(
        update={
            "partner_seal_key": new_key_text(), "partner_seal_key_id": 2,
            "partner_seal_retired_keys": f"1:{cards_settings.partner_seal_key}",
        }
    )  # fmt: skip
    lines: list[str] = []
    async with running(create_app(rotated, clock)) as client:
        app = app_of(client)
        progress = await rekeying.reencrypt(app.state.sessions, app.state.seal, lines.append, batch_size=2)
        assert [(p.total, p.done, p.left) for p in progress] == [(7, 7, 0)]
        again = await rekeying.reencrypt(app.state.sessions, app.state.seal, lines.append)
        assert [(p.total, p.done) for p in again] == [(0, 0)]
    # checked: every text opens with key 2 alone, to the number it held
    only_new = PartnerSeal(KeyRing.single(key_from_text(rotated.partner_seal_key), 2))
    old_seal = PartnerSeal(key_from_text(cards_settings.partner_seal_key))
    after = await _sealed(cards_settings)
    assert {m: only_new.open(s) for m, (s, _) in after.items()} == {m: old_seal.open(s) for m, (s, _) in before.items()}

    # the blind index: service stopped, every personal digest remade under the new key
    new_key = new_key_text()
    engine = create_engine(cards_settings.database_url, pool_size=1)
    try:
        sessions = session_factory(engine)
        await rekey.require_stopped(sessions, "cards", force=False)
        old_index, new_index = (
            BlindIndex(key_from_text(cards_settings.blind_index_key)),
            BlindIndex(key_from_text(new_key)),
        )
        done = await rekeying.reindex(
            sessions, rotated.partner_seal(), old_index, new_index, lines.append, batch_size=2
        )
        assert [(p.done, p.left) for p in done] == [(3, 0)]
        redone = await rekeying.reindex(sessions, rotated.partner_seal(), old_index, new_index, lines.append)
        assert [p.done for p in redone] == [0]
    finally:
        await engine.dispose()
    digests = {m: d for m, (_, d) in (await _sealed(cards_settings)).items() if d is not None}
    assert len(digests) == 3 and not set(digests.values()) & {d for _, d in before.values()}
    assert not [line for line in lines if any(n in line for n in APPLICANTS)]

    # checked: under the new key the same person's second application is still recognised
    async with running(create_app(rotated.model_copy(update={"blind_index_key": new_key}), clock)) as client:
        twice = await client.post(
            "/personal-applications", json=APPLICATION | {"id_number": APPLICANTS[1]}, headers=SYSTEM
        )
        assert (twice.status_code, twice.json()["code"]) == (409, "cards.personal_duplicate")
        other = make_id_number("310104", date(1993, 1, 1), 22, False)
        fresh = await client.post("/personal-applications", json=APPLICATION | {"id_number": other}, headers=SYSTEM)
        assert fresh.status_code == 201, fresh.text
