"""`python -m cards.keys`: key rotation maintenance (docs/operations.md, "Rotating keys").

    python -m cards.keys reencrypt                                          # beside the running service
    python -m cards.keys reindex --new-key-env NEW_CARDS_BLIND_INDEX_KEY    # service stopped

Reads the same settings as the service (CARDS_DATABASE_URL, PARTNER_SEAL_…, CARDS_BLIND_INDEX_KEY).
Prints counts only. Exit 0: done; 1: rows left, run again; 2: the keys do not fit the data.
"""

from __future__ import annotations

import sys

from runtime import rekey
from runtime.db import Sessions
from runtime.pii import BlindIndex, PiiKeyError, key_from_setting
from runtime.rekey import Progress

from .service import rekeying
from .settings import CardsSettings


def main(argv: list[str] | None = None) -> int:
    args = rekey.parse(
        "python -m cards.keys", "办卡库密钥轮换：重新密封证件号、重建盲索引", ["reencrypt", "reindex"], argv
    )
    settings = CardsSettings()
    try:
        seal = settings.partner_seal()
        old = BlindIndex(key_from_setting(settings.blind_index_key, "CARDS_BLIND_INDEX_KEY"))
        new = BlindIndex(rekey.key_from_env(args.new_key_env)) if args.command == "reindex" else None
    except PiiKeyError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2

    async def job(sessions: Sessions) -> list[Progress]:
        if new is None:
            return await rekeying.reencrypt(sessions, seal, rekey.say, batch_size=args.batch_size)
        await rekey.require_stopped(sessions, "cards", force=args.force)
        return await rekeying.reindex(sessions, seal, old, new, rekey.say, batch_size=args.batch_size)

    return rekey.run(settings.database_url, job)


if __name__ == "__main__":
    sys.exit(main())
