"""`python -m members.keys`: key rotation maintenance (docs/operations.md, "Rotating keys").

    python -m members.keys reencrypt                     # beside the running service
    python -m members.keys reindex --new-key-env NEW_MEMBERS_BLIND_INDEX_KEY   # service stopped

Reads the same settings as the service (MEMBERS_DATABASE_URL, MEMBERS_PII_…, PARTNER_SEAL_…,
MEMBERS_BLIND_INDEX_KEY). Prints counts only. Exit 0: done; 1: rows left, run again; 2: the keys do
not fit the data (the message names the setting or the row).
"""

from __future__ import annotations

import sys

from runtime import rekey
from runtime.db import Sessions
from runtime.pii import BlindIndex, PiiKeyError
from runtime.rekey import Progress

from .service import rekeying
from .service.vault import Vault
from .settings import MembersSettings


def main(argv: list[str] | None = None) -> int:
    args = rekey.parse("python -m members.keys", "会员库密钥轮换：重新加密、重建盲索引", ["reencrypt", "reindex"], argv)
    settings = MembersSettings()
    try:
        vault = Vault.from_settings(settings)
        new_index = BlindIndex(rekey.key_from_env(args.new_key_env)) if args.command == "reindex" else None
    except PiiKeyError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2

    async def job(sessions: Sessions) -> list[Progress]:
        if new_index is None:
            return await rekeying.reencrypt(sessions, vault, rekey.say, batch_size=args.batch_size)
        await rekey.require_stopped(sessions, "members", force=args.force)
        return await rekeying.reindex(sessions, vault, new_index, rekey.say, batch_size=args.batch_size)

    return rekey.run(settings.database_url, job)


if __name__ == "__main__":
    sys.exit(main())
