from typing import Annotated

from pydantic import Field, StringConstraints
from pydantic_settings import SettingsConfigDict

from runtime.settings import ServiceSettings

Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]


class BankSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="BANK_", extra="ignore", populate_by_name=True)

    service_name: str = "bank"
    database_url: str = "postgresql+asyncpg://postgres@127.0.0.1:5432/bank_adapter"
    port: int = 8201

    # Same seed, same batch, same member: same outcome and card number, run after run.
    seed: str = "bank-reference"
    # An outcome is published this long after the batch arrives, plus up to `issue_jitter_seconds`
    # per card (deterministic), so a batch's cards do not all come back in the same instant.
    issue_delay_seconds: float = Field(2.0, ge=0)
    issue_jitter_seconds: float = Field(1.0, ge=0)
    # Share of cards refused for one of `reject_reasons` (an expired ID is always refused on top).
    reject_rate: float = Field(0.05, ge=0, le=1)
    reject_reasons: list[Reason] = Field(
        default_factory=lambda: ["身份信息核验不通过", "证件号码有误", "客户已持有本行工会会员服务卡"], min_length=1
    )
    card_bin: str = Field("6222", pattern=r"^[0-9]{4,6}$")

    # Pension withholding (委托代扣): the real bank deducts on the pension day; off, the adapter deducts
    # as soon as a request arrives (local runs and demos need not wait for the day).
    withhold_on_pension_day: bool = False
    # Withholding reports (one per chunk of ≤ 1,000 people) published per transaction.
    withholding_reports_per_pass: int = Field(5, ge=1, le=100)

    # The scheduler: how often it looks for due outcomes, and how many it publishes per transaction.
    schedule_poll_seconds: float = Field(0.2, gt=0)
    schedule_chunk: int = Field(500, ge=1, le=5000)
