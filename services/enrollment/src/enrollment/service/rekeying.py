"""Key rotation for the enrollment database (`python -m enrollment.keys`; docs/operations.md, "Rotating keys").

Every column enrollment seals under its at-rest ring (ENROLLMENT_PII_…) is listed here with the field
it was sealed for; a test holds the list equal to the `*_enc` columns of the tables. The partner-sealed
`member_ref.id_sealed` is members' text: members re-seals it and its events bring the new one here.
"""

from __future__ import annotations

import sqlalchemy as sa

from runtime import rekey
from runtime.db import Sessions
from runtime.pii import PiiCipher
from runtime.rekey import Digest, Progress, Report, Sealed, Table

from . import codes
from .batches import PHONE_FIELD
from .mutual_aid import vault
from .mutual_aid.vault import RosterVault
from .retiree import vault as retiree

SEALED: dict[Table, list[Sealed]] = {
    Table("batch", ("batch_no",)): [Sealed("handler_phone_enc", PHONE_FIELD)],
    Table("code_application", ("id",)): [
        Sealed("contact_phone_enc", codes.CONTACT_PHONE),
        Sealed("leader_phone_enc", codes.LEADER_PHONE),
    ],
    Table("code_handler", ("code",)): [Sealed("handler_phone_enc", codes.HANDLER_PHONE)],
    Table("ma_batch", ("batch_no",)): [Sealed("handler_phone_enc", vault.HANDLER_PHONE_FIELD)],
    Table("ma_row", ("id",)): [Sealed("id_enc", vault.ID_FIELD), Sealed("phone_enc", vault.PHONE_FIELD)],
    # 退休住院计划
    Table("rt_batch", ("batch_no",)): [Sealed("handler_phone_enc", retiree.BATCH_HANDLER_PHONE)],
    Table("rt_unit", ("code",)): [Sealed("handler_phone_enc", retiree.UNIT_HANDLER_PHONE)],
    Table("rt_name_change", ("id",)): [Sealed("handler_phone_enc", retiree.NAME_CHANGE_PHONE)],
    Table("rt_person", ("id",)): [Sealed("id_enc", retiree.ID_FIELD), Sealed("phone_enc", retiree.PHONE_FIELD)],
}


async def reencrypt(
    sessions: Sessions, cipher: PiiCipher, report: Report, *, batch_size: int = rekey.BATCH
) -> list[Progress]:
    """Everything under a retired key moved to the current one; beside the running service, and safe
    to run again."""
    return [
        await rekey.reencrypt(sessions, table, sealed, cipher, report, batch_size=batch_size)
        for table, sealed in SEALED.items()
    ]


async def reindex(
    sessions: Sessions, old: RosterVault, new: RosterVault, report: Report, *, batch_size: int = rekey.BATCH
) -> list[Progress]:
    """Every roster row's ID-number digest (ENROLLMENT_ROSTER_INDEX_KEY) remade under the new key, from its
    sealed number. Only with the service stopped. The insurer's 建议清册 keeps no number to remake its
    digest from: it is reported, to be loaded again after the switch."""
    digest = Digest("id_digest", "id_enc", old.open_id, old.digest, new.digest)
    progress = [await rekey.reindex(sessions, Table("ma_row", ("id",)), [digest], report, batch_size=batch_size)]
    rt_old, rt_new = retiree.RetireeVault.of(old), retiree.RetireeVault.of(new)
    rt_digests = [
        Digest("id_digest", "id_enc", rt_old.open_id, rt_old.id_digest, rt_new.id_digest),
        Digest("phone_digest", "phone_enc", rt_old.open_phone, rt_old.phone_digest, rt_new.phone_digest),
    ]
    progress.append(
        await rekey.reindex(sessions, Table("rt_person", ("id",)), rt_digests, report, batch_size=batch_size)
    )
    async with sessions() as session:
        suggested = (await session.exec(sa.text("SELECT count(*) FROM ma_suggested"))).scalar_one()  # type: ignore[call-overload]
    if suggested:
        report(
            f"ma_suggested: {suggested} rows stay under the old key — load each year's 建议清册 again after the switch"
        )
    return progress
