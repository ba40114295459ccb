"""Key rotation on a real database: rows sealed under key 1, the service rotated to key 2 with key 1
retired, `reencrypt` beside it; the blind index remade under a new key with the service stopped."""

from __future__ import annotations

import asyncio
import io
import json
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from httpx import AsyncClient
from openpyxl import load_workbook

from localstack.pytest_plugin import eventually, running
from members.main import create_app
from members.service import rekeying
from members.settings import MembersSettings
from runtime.db import create_engine
from runtime.pii import KeyRing, PartnerSeal, PiiCipher, key_from_text, new_key_text
from services.members.tests.conftest import City, app_of, finished, import_rows, person, roster, upload

ID_FIELD, PHONE_FIELD, ROW_FIELD = "member.id_number", "member.phone", "compare.row"


@dataclass(frozen=True)
class Stored:
    id_number_enc: bytes
    phone_enc: bytes
    id_sealed: str
    version: int


async def _query(database: str, sql: str) -> Sequence[Any]:
    engine = create_engine(database, pool_size=1)
    try:
        async with engine.connect() as connection:
            return (await connection.execute(sa.text(sql))).all()
    finally:
        await engine.dispose()


async def _members(database: str) -> dict[str, Stored]:
    rows = await _query(database, "SELECT id, id_number_enc, phone_enc, id_sealed, version FROM member")
    return {str(r[0]): Stored(r[1], r[2], r[3], r[4]) for r in rows}


async def _numbered(client: AsyncClient, headers: dict[str, str], count: int) -> None:
    """Member numbers come from members' own consumer: wait for them, so versions stand still."""

    async def done() -> bool | None:
        items = (await client.get("/members", params={"size": 50}, headers=headers)).json()["items"]
        return (len(items) == count and all(m["member_no"] for m in items)) or None

    assert await eventually(done, timeout=60)


async def _extra_numbers(client: AsyncClient, compare: str, headers: dict[str, str]) -> list[str]:
    """The ID numbers of 比对结果 (b): opened from the sealed rows."""
    r = await client.get(f"/compares/{compare}/extra.xlsx", headers=headers)
    assert r.status_code == 200, r.text
    return [str(row[2]) for row in load_workbook(io.BytesIO(r.content)).active.iter_rows(min_row=2, values_only=True)]


def _rotated(settings: MembersSettings) -> MembersSettings:
    """Key 2 current for both rings, key 1 retired."""
    return settings.model_copy(
        update={
            "pii_key": new_key_text(), "pii_key_id": 2, "pii_retired_keys": f"1:{settings.pii_key}",
            "partner_seal_key": new_key_text(), "partner_seal_key_id": 2,
            "partner_seal_retired_keys": f"1:{settings.partner_seal_key}",
        }
    )  # fmt: skip


async def test_reencrypt_moves_every_sealed_value_to_key_2_and_announces_the_partner_text(
    members_settings: MembersSettings,
) -> None:
    database = members_settings.database_url
    async with running(create_app(members_settings)) as client:
        city = await City().project(app_of(client))
        clerk = city.clerk(city.g1)
        people = [person(i, city.g1) for i in range(7)]
        assert (await import_rows(client, people, clerk))["rows_created"] == 7
        r = await upload(client, "/compares", roster(people[:5] + [person(100, city.g1), person(101, city.g1)]), clerk)
        compare = (await finished(client, f"/compares/{r.json()['id']}", clerk))["id"]
        await _numbered(client, clerk, 7)
    before = await _members(database)
    assert {(s.id_number_enc[0], s.phone_enc[0], PartnerSeal.key_id(s.id_sealed)) for s in before.values()} == {
        (1, 1, 1)
    }

    rotated = _rotated(members_settings)
    async with running(create_app(rotated)) as client:
        app = app_of(client)
        # key 1 still opens (retired) while the service seals new values under key 2
        assert await _extra_numbers(client, compare, clerk) == [person(100, city.g1)[2], person(101, city.g1)[2]]

        lines: list[str] = []
        progress = await rekeying.reencrypt(app.state.sessions, app.state.vault, lines.append, batch_size=3)
        assert [(p.total, p.done, p.left) for p in progress] == [(7, 7, 0), (7, 7, 0), (2, 2, 0)]
        assert lines[-1] == "compare_extra (cells): 2/2 rows rewritten"
        numbers = [p[2] for p in people] + [p[3] for p in people]
        assert not [line for line in lines if any(n in line for n in numbers)]

        # checked: search by ID number and phone is untouched (the blind index has its own key)
        found = (await client.get("/members", params={"id_number": people[3][2]}, headers=clerk)).json()["items"]
        assert [m["name"] for m in found] == [people[3][0]]
        assert (await client.get("/members", params={"phone": people[5][3]}, headers=clerk)).json()["total"] == 1

        assert await _extra_numbers(client, compare, clerk) == [person(100, city.g1)[2], person(101, city.g1)[2]]
        # done is not done again
        again = await rekeying.reencrypt(app.state.sessions, app.state.vault, lines.append)
        assert [(p.total, p.done) for p in again] == [(0, 0), (0, 0), (0, 0)]

    # checked: every value under key 2 opens with key 2 alone, to what it was; key 1 can go
    new_pii = PiiCipher.from_ring(KeyRing.single(key_from_text(rotated.pii_key), 2))
    new_seal = PartnerSeal(KeyRing.single(key_from_text(rotated.partner_seal_key), 2))
    after = await _members(database)
    by_number = {p[2]: p for p in people}
    for member_id, stored in after.items():
        number = new_pii.decrypt(stored.id_number_enc, field=ID_FIELD)
        assert new_pii.decrypt(stored.phone_enc, field=PHONE_FIELD) == by_number[number][3]
        assert new_seal.open(stored.id_sealed) == number
        assert stored.version == before[member_id].version + 1  # the snapshot changed: its id_sealed
    cells = await _query(database, "SELECT cells FROM compare_extra ORDER BY row_no")
    opened = [json.loads(new_pii.decrypt(c[0], field=ROW_FIELD))["id_number"] for c in cells]
    assert opened == [person(100, city.g1)[2], person(101, city.g1)[2]]

    # checked: each re-sealed member was announced with the new text, so cards and enrollment follow
    announced = await _query(database, "SELECT payload FROM outbox WHERE ce_type = 'member.updated' ORDER BY id")
    snapshots = {a[0]["member"]["member_id"]: a[0]["member"] for a in announced}
    assert set(snapshots) == set(after)
    for member_id, snapshot in snapshots.items():
        assert (snapshot["id_sealed"], snapshot["version"]) == (after[member_id].id_sealed, after[member_id].version)


async def _keys_command(settings: MembersSettings, *args: str, **extra_env: str) -> tuple[int, str, str]:
    """`python -m members.keys …` as an operator runs it, with the service's settings in its environment."""
    env = {
        **os.environ,
        "MEMBERS_DATABASE_URL": settings.database_url,
        "MEMBERS_PII_KEY": settings.pii_key,
        "MEMBERS_BLIND_INDEX_KEY": settings.blind_index_key,
        "PARTNER_SEAL_KEY": settings.partner_seal_key,
        **extra_env,
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "members.keys", *args, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await process.communicate()
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


async def test_reindex_under_a_new_blind_index_key_keeps_search_and_upserts_working(
    members_settings: MembersSettings,
) -> None:
    new_key = new_key_text()
    async with running(create_app(members_settings)) as client:
        city = await City().project(app_of(client))
        clerk = city.clerk(city.g1)
        people = [person(i, city.g1) for i in range(7)]
        assert (await import_rows(client, people, clerk))["rows_created"] == 7
        # checked: refused while the service is connected, nothing changed
        code, _, err = await _keys_command(members_settings, "reindex", "--new-key-env", "NEW_INDEX", NEW_INDEX=new_key)
        assert code == 2 and "stop the members service" in err
    digests = await _query(members_settings.database_url, "SELECT id, id_number_bi, phone_bi FROM member ORDER BY id")

    # checked: a current-key setting that did not make the digests stops before writing anything
    wrong = members_settings.model_copy(update={"blind_index_key": new_key_text()})
    code, _, err = await _keys_command(
        wrong, "reindex", "--new-key-env", "NEW_INDEX", "--batch-size", "3", NEW_INDEX=new_key
    )  # fmt: skip
    assert code == 2 and "under neither the current nor the new key" in err
    assert (
        await _query(members_settings.database_url, "SELECT id, id_number_bi, phone_bi FROM member ORDER BY id")
        == digests
    )

    code, out, _ = await _keys_command(
        members_settings, "reindex", "--new-key-env", "NEW_INDEX", "--batch-size", "3", NEW_INDEX=new_key
    )  # fmt: skip
    assert code == 0
    assert out.splitlines()[-1] == "member (id_number_bi, phone_bi): 7 rows rewritten"
    assert not [p for p in people if p[2] in out or p[3] in out]
    # run again (e.g. after an interruption): what is under the new key already is left alone
    code, out, _ = await _keys_command(members_settings, "reindex", "--new-key-env", "NEW_INDEX", NEW_INDEX=new_key)
    assert (code, out.splitlines()[-1]) == (0, "member (id_number_bi, phone_bi): 0 rows rewritten")

    async with running(create_app(members_settings.model_copy(update={"blind_index_key": new_key}))) as client:
        found = (await client.get("/members", params={"id_number": people[3][2].lower()}, headers=clerk)).json()
        assert [m["name"] for m in found["items"]] == [people[3][0]]
        assert (await client.get("/members", params={"phone": people[5][3]}, headers=clerk)).json()["total"] == 1
        # checked: a re-import finds the same people by their new digests (no duplicates)
        again = await import_rows(client, people, clerk)
        assert (again["rows_created"], again["rows_unchanged"]) == (0, 7)
