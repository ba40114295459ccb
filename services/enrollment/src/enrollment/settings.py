from typing import Literal

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from runtime.pii import KeyRing, PiiCipher
from runtime.settings import ServiceSettings


class EnrollmentSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="ENROLLMENT_", extra="ignore", populate_by_name=True)

    service_name: str = "enrollment"
    database_url: str = "postgresql+asyncpg://postgres@127.0.0.1:5432/enrollment"
    port: int = 8104

    # Seals the handlers' (经办人) phone numbers at rest: base64 of 32 random bytes
    # (`python -c "from runtime.pii import new_key_text; print(new_key_text())"`). Local development only.
    pii_key: str = "ZGV2LW9ubHktZW5yb2xsbWVudC1waWkta2V5LTAxMjM"
    # Key rotation (docs/operations.md, "Rotating keys"): the id that leads what is sealed under
    # ENROLLMENT_PII_KEY, and the other keys still opened ("1:<base64>,3:<base64>";
    # `python -m enrollment.keys reencrypt` moves their rows to the current key).
    pii_key_id: int = 1
    pii_retired_keys: str = ""

    def pii_cipher(self) -> PiiCipher:
        """Parsed when the process starts: a bad key stops it with a PiiKeyError naming the setting."""
        return PiiCipher.from_ring(
            KeyRing.from_settings("ENROLLMENT_PII", self.pii_key, self.pii_key_id, self.pii_retired_keys)
        )

    # How often unpaid batches past their pay-by date are lapsed (seconds; 0: only on request,
    # POST /batches/lapse-overdue).
    lapse_scan_seconds: float = Field(600.0, ge=0)
    # Members per socialsec.check.requested event (the contract allows 1,000).
    check_chunk: int = Field(1000, ge=1, le=1000)

    # 短信验证码 of the 参保编码申请 and 经办人填报 forms. The local sender (the only one so far) writes the
    # message to the log; `sms_show_code` also puts the code in the answer — development and automated
    # tests only, never in production.
    sms_show_code: bool = False
    sms_ttl_seconds: int = Field(300, ge=30)
    sms_resend_seconds: int = Field(60, ge=0)
    sms_per_phone_daily: int = Field(10, ge=1)
    sms_per_account_daily: int = Field(30, ge=1)
    sms_max_attempts: int = Field(5, ge=1)
    # 退休住院计划 代扣结果 notices to the unit's handler (经办人): "邮件会发送至经办人邮箱" and an SMS. Recorded with
    # the bank's last outcome and delivered by a loop every `notice_scan_seconds` (0: once when the service
    # starts); a failed send is tried again later, doubling the wait up to an hour, at most
    # `notice_max_attempts` times. The mail sender: "log" writes the mail to the service log (the only one so
    # far; the SMS sender is the log one too).
    notice_scan_seconds: float = Field(15.0, ge=0)
    notice_max_attempts: int = Field(12, ge=1)
    mail_sender: Literal["log"] = "log"
    # Files units attach (参保编码申请, 单位名称变更): PNG, JPEG or PDF up to this size.
    attachment_max_bytes: int = Field(10 * 1024 * 1024, ge=1024)

    # 互助保障 参保清册: the blind index of roster ID numbers (one person once per insurance year, the
    # suggested roster) — base64 of 32 random bytes, dev default; the largest roster upload (.xlsx); how
    # often unfinished roster uploads and 清册校验 jobs are picked up again (seconds; 0: only when the
    # service starts).
    roster_index_key: str = "ZGV2LW9ubHktZW5yb2xsbWVudC1yb3N0ZXItaW5kZXg"
    roster_upload_max_bytes: int = Field(20 * 1024 * 1024, ge=1024)
    roster_import_scan_seconds: float = Field(30.0, ge=0)
    roster_check_scan_seconds: float = Field(30.0, ge=0)
