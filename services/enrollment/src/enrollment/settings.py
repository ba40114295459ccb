from pydantic import Field
from pydantic_settings import SettingsConfigDict

from runtime.settings import ServiceSettings


class EnrollmentSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="ENROLLMENT_", extra="ignore", populate_by_name=True)

    service_name: str = "enrollment"
    database_url: str = "postgresql+asyncpg://postgres@127.0.0.1:5432/enrollment"
    port: int = 8104

    # Seals the handlers' (经办人) phone numbers at rest: base64 of 32 random bytes
    # (`python -c "from runtime.pii import new_key_text; print(new_key_text())"`). Local development only.
    pii_key: str = "ZGV2LW9ubHktZW5yb2xsbWVudC1waWkta2V5LTAxMjM"

    # How often unpaid batches past their pay-by date are lapsed (seconds; 0: only on request,
    # POST /batches/lapse-overdue).
    lapse_scan_seconds: float = Field(600.0, ge=0)
    # Members per socialsec.check.requested event (the contract allows 1,000).
    check_chunk: int = Field(1000, ge=1, le=1000)
