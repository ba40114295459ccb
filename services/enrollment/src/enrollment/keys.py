"""`python -m enrollment.keys`: key rotation maintenance (docs/operations.md, "Rotating keys").

    python -m enrollment.keys reencrypt                                     # beside the running service
    python -m enrollment.keys reindex --new-key-env NEW_ROSTER_INDEX_KEY    # service stopped

`reencrypt` moves what is sealed under a retired ENROLLMENT_PII key to the current one; `reindex`
remakes the roster's ID-number digests under a new ENROLLMENT_ROSTER_INDEX_KEY. Reads the service's
settings; prints counts only. Exit 0: done; 1: rows left, run again; 2: the keys do not fit the data.
"""

from __future__ import annotations

import sys

from runtime import rekey
from runtime.db import Sessions
from runtime.pii import BlindIndex, PiiKeyError, key_from_setting
from runtime.rekey import Progress

from .service import rekeying
from .service.mutual_aid.vault import RosterVault
from .settings import EnrollmentSettings


def main(argv: list[str] | None = None) -> int:
    args = rekey.parse(
        "python -m enrollment.keys", "参保库密钥轮换：重新加密、重建盲索引", ["reencrypt", "reindex"], argv
    )
    settings = EnrollmentSettings()
    try:
        cipher = settings.pii_cipher()
        index = BlindIndex(key_from_setting(settings.roster_index_key, "ENROLLMENT_ROSTER_INDEX_KEY"))
        old = RosterVault(cipher, index, settings.partner_seal())
        new = (
            RosterVault(cipher, BlindIndex(rekey.key_from_env(args.new_key_env)), old.partner)
            if args.command == "reindex"
            else None
        )
    except PiiKeyError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2

    async def job(sessions: Sessions) -> list[Progress]:
        if new is None:
            return await rekeying.reencrypt(sessions, cipher, rekey.say, batch_size=args.batch_size)
        await rekey.require_stopped(sessions, "enrollment", force=args.force)
        return await rekeying.reindex(sessions, old, new, rekey.say, batch_size=args.batch_size)

    return rekey.run(settings.database_url, job)


if __name__ == "__main__":
    sys.exit(main())
