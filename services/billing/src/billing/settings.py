from pydantic import Field
from pydantic_settings import SettingsConfigDict

from runtime.pii import KeyRing, PiiCipher
from runtime.settings import ServiceSettings

MIB = 1024 * 1024


class BillingSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="BILLING_", extra="ignore", populate_by_name=True)

    service_name: str = "billing"
    database_url: str = "postgresql+asyncpg://postgres@127.0.0.1:5432/billing"
    port: int = 8105

    # Seals the refund bank account numbers at rest: base64 of 32 random bytes
    # (`python -c "from runtime.pii import new_key_text; print(new_key_text())"`). Local development only.
    pii_key: str = "ZGV2LW9ubHktYmlsbGluZy1waWkta2V5LTAxMjM0NTY"
    # Key rotation (docs/operations.md, "Rotating keys"): the id that leads what is sealed under
    # BILLING_PII_KEY, and the other keys still opened ("1:<base64>,3:<base64>";
    # `python -m billing.keys reencrypt` moves their rows to the current key).
    pii_key_id: int = 1
    pii_retired_keys: str = ""

    # Who signs the notices and receipts (the insurer).
    issuer_name: str = "上海市职工保障互助会"
    # A voucher's image or PDF (and a refund explanation) may be at most this large.
    voucher_max_bytes: int = Field(10 * MIB, ge=1024)

    def pii_cipher(self) -> PiiCipher:
        """Parsed when the process starts: a bad key stops it with a PiiKeyError naming the setting."""
        return PiiCipher.from_ring(
            KeyRing.from_settings("BILLING_PII", self.pii_key, self.pii_key_id, self.pii_retired_keys)
        )
