"""Key rotation for the members database (`python -m members.keys`; docs/operations.md, "Rotating keys").

What members seals, and under which key:
- `member.id_number_enc`, `member.phone_enc` and `compare_extra.cells`: the at-rest ring (MEMBERS_PII_…);
- `member.id_sealed`: the partner ring (PARTNER_SEAL_…). Every member snapshot carries it, and cards
  and enrollment keep copies, so a member re-sealed for the partners is announced (`member.updated`,
  version + 1) in the same transaction: the copies follow through the events, and the retired partner
  key can then leave the adapters too.
- `member.id_number_bi`, `member.phone_bi`: blind-index digests (MEMBERS_BLIND_INDEX_KEY), remade from
  the decrypted values under a new key while the service is stopped.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from contracts.members import MemberUpdated
from runtime import outbox, rekey
from runtime.db import Sessions
from runtime.pii import BlindIndex
from runtime.rekey import Digest, Progress, Report, Sealed, Table

from ..models import Member
from . import SOURCE
from .members import snapshot
from .vault import ID_NUMBER, PHONE, ROSTER_ROW, Vault

MEMBER = Table("member", ("id",))
COMPARE_EXTRA = Table("compare_extra", ("compare_id", "row_no"))


async def reencrypt(
    sessions: Sessions, vault: Vault, report: Report, *, batch_size: int = rekey.BATCH
) -> list[Progress]:
    """Everything under a retired key moved to the current one. Safe beside the running service and
    safe to run again (what is done is not found again)."""
    at_rest = [Sealed("id_number_enc", ID_NUMBER), Sealed("phone_enc", PHONE)]
    return [
        await rekey.reencrypt(sessions, MEMBER, at_rest, vault.cipher, report, batch_size=batch_size),
        await reseal_for_partners(sessions, vault, report, batch_size=batch_size),
        await rekey.reencrypt(
            sessions, COMPARE_EXTRA, [Sealed("cells", ROSTER_ROW)], vault.cipher, report, batch_size=batch_size
        ),
    ]


async def reseal_for_partners(
    sessions: Sessions, vault: Vault, report: Report, *, batch_size: int = rekey.BATCH
) -> Progress:
    """`member.id_sealed` under a retired partner key, sealed again and announced."""

    async def rewrite(session: AsyncSession, rows: Sequence[Row[Any]]) -> int:
        found = await session.exec(select(Member).where(col(Member.id).in_([r[0] for r in rows])))
        members = list(found.all())
        for m in members:
            assert m.id_sealed is not None  # the walk picks sealed rows only
            m.id_sealed = rekey.opened(MEMBER, (m.id,), "id_sealed", vault.partner.reseal, m.id_sealed)
            m.version += 1
        outbox.record(session, SOURCE, *(MemberUpdated(member=snapshot(m)) for m in members))
        return len(members)

    return await rekey.until_done(
        sessions, MEMBER, (), rewrite, Progress("member (id_sealed, announced)"), report,
        stale=rekey.under_other_key("id_sealed", text=True), params={"current": vault.partner.current_id},
        batch_size=batch_size,
    )  # fmt: skip


async def reindex(
    sessions: Sessions, vault: Vault, new_index: BlindIndex, report: Report, *, batch_size: int = rekey.BATCH
) -> list[Progress]:
    """Every member's ID-number and phone digest remade under `new_index`. Only with the service
    stopped: it would index new rows under the old key meanwhile, and search by the new one after."""
    new = vault.with_index(new_index)
    digests = [
        Digest("id_number_bi", "id_number_enc", vault.open_id, vault.id_digest, new.id_digest),
        Digest("phone_bi", "phone_enc", vault.open_phone, vault.phone_digest, new.phone_digest),
    ]
    return [await rekey.reindex(sessions, MEMBER, digests, report, batch_size=batch_size)]
