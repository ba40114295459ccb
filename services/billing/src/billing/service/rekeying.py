"""Key rotation for the billing database (`python -m billing.keys`; docs/operations.md, "Rotating keys").

Every column billing seals under its at-rest ring (BILLING_PII_…) is listed here with the field it was
sealed for; a test holds the list equal to the `*_enc` columns of the tables.
"""

from __future__ import annotations

from runtime import rekey
from runtime.db import Sessions
from runtime.pii import PiiCipher
from runtime.rekey import Progress, Report, Sealed, Table

from .vouchers import ACCOUNT_FIELD

# A refund's account is the voucher's ciphertext copied over: the same field.
SEALED: dict[Table, list[Sealed]] = {
    Table("voucher", ("voucher_no",)): [Sealed("refund_account_enc", ACCOUNT_FIELD)],
    Table("refund", ("refund_no",)): [Sealed("account_enc", ACCOUNT_FIELD)],
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
