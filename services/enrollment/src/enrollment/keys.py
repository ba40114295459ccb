"""`python -m enrollment.keys reencrypt`: key rotation maintenance (docs/operations.md, "Rotating keys").

Moves what is sealed under a retired ENROLLMENT_PII key to the current one, beside the running
service. Reads the service's settings; prints counts only. Exit 0: done; 1: rows left, run again;
2: the keys do not fit the data.
"""

from __future__ import annotations

import sys

from runtime import rekey
from runtime.db import Sessions
from runtime.pii import PiiKeyError
from runtime.rekey import Progress

from .service import rekeying
from .settings import EnrollmentSettings


def main(argv: list[str] | None = None) -> int:
    args = rekey.parse("python -m enrollment.keys", "参保库密钥轮换：重新加密", ["reencrypt"], argv)
    settings = EnrollmentSettings()
    try:
        cipher = settings.pii_cipher()
    except PiiKeyError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2

    async def job(sessions: Sessions) -> list[Progress]:
        return await rekeying.reencrypt(sessions, cipher, rekey.say, batch_size=args.batch_size)

    return rekey.run(settings.database_url, job)


if __name__ == "__main__":
    sys.exit(main())
