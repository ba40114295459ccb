"""Key rotation for the cards database (`python -m cards.keys`; docs/operations.md, "Rotating keys").

- `card_member.id_sealed`: partner-sealed ID numbers. A member's comes from members' snapshots (and is
  replaced by the next one), a personal applicant's was sealed here and has no other copy: both are
  sealed again under the current partner key, so that the retired one can leave the adapters.
- `card_member.id_digest`: the keyed hash of a personal applicant's ID number (CARDS_BLIND_INDEX_KEY),
  remade from the sealed number under a new key while the service is stopped.
"""

from __future__ import annotations

from functools import partial

from runtime import rekey
from runtime.db import Sessions
from runtime.pii import BlindIndex, PartnerSeal
from runtime.rekey import Digest, Progress, Report, Table

from .personal import DIGEST_PURPOSE

CARD_MEMBER = Table("card_member", ("member_id",))


async def reencrypt(
    sessions: Sessions, seal: PartnerSeal, report: Report, *, batch_size: int = rekey.BATCH
) -> list[Progress]:
    """Every sealed ID number under a retired partner key sealed again; beside the running service."""
    return [await rekey.reseal(sessions, CARD_MEMBER, "id_sealed", seal, report, batch_size=batch_size)]


async def reindex(
    sessions: Sessions, seal: PartnerSeal, old: BlindIndex, new: BlindIndex, report: Report,
    *, batch_size: int = rekey.BATCH,
) -> list[Progress]:  # fmt: skip
    """Every personal applicant's digest remade under `new`; with the service stopped."""
    digest = Digest(
        "id_digest", "id_sealed", seal.open,
        partial(old.digest, purpose=DIGEST_PURPOSE), partial(new.digest, purpose=DIGEST_PURPOSE),
    )  # fmt: skip
    where = "id_digest IS NOT NULL"
    return [await rekey.reindex(sessions, CARD_MEMBER, [digest], report, where=where, batch_size=batch_size)]
