from pydantic import Field
from pydantic_settings import SettingsConfigDict

from runtime.settings import ServiceSettings

MIB = 1024 * 1024


class MembersSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="MEMBERS_", extra="ignore", populate_by_name=True)

    service_name: str = "members"
    database_url: str = "postgresql+asyncpg://postgres@127.0.0.1:5432/members"
    port: int = 8102

    # base64 of 32 random bytes each (`python -c "from runtime.pii import new_key_text; print(new_key_text())"`).
    # The defaults are for local development only; every real deployment sets its own.
    pii_key: str = "ZGV2LW9ubHktcGlpLWtleS0wMTIzNDU2Nzg5YWJjZGU"
    # Key rotation (docs/operations.md, "Rotating keys"): the id that leads what is sealed under
    # MEMBERS_PII_KEY, and the other keys still opened ("1:<base64>,3:<base64>"; `python -m
    # members.keys reencrypt` moves their rows to the current key).
    pii_key_id: int = 1
    pii_retired_keys: str = ""
    # One key, no ring: a keyed hash cannot say which key made it (`python -m members.keys reindex`).
    blind_index_key: str = "ZGV2LW9ubHktYmxpbmQtaW5kZXgta2V5LTAxMjM0NTY"

    member_no_prefix: str = Field("SH", min_length=1, max_length=4)

    # Upload limits, checked before a file is parsed.
    upload_max_bytes: int = 20 * MIB
    # An xlsx is a zip: the sum of its entries' uncompressed sizes and their ratio bound a zip bomb.
    upload_max_uncompressed_bytes: int = 400 * MIB
    upload_max_ratio: int = 200
    import_max_rows: int = 200_000
    # How many background jobs (imports, compares) one process runs at once; the rest wait their turn.
    job_concurrency: int = 2
    # Worker processes that read and check import rows beside the service (0: a thread of the service).
    # One is enough: it runs while the service writes, and a job's rows stay in the one process.
    import_processes: int = Field(1, ge=0, le=1)
    # How often the job runner looks for unfinished jobs (a restarted or crashed replica's).
    job_scan_seconds: float = 5.0
