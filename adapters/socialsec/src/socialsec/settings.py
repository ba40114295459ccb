from pathlib import Path

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from runtime.settings import ServiceSettings

from .domain.people import DEFAULT_SEED, RegisterRates


class SocialsecSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="SOCIALSEC_", extra="ignore", populate_by_name=True)

    service_name: str = "socialsec"
    database_url: str = "postgresql+asyncpg://postgres@127.0.0.1:5432/socialsec_adapter"
    port: int = 8202

    # Same seed, same ID number and name: same person on the register, run after run.
    seed: str = DEFAULT_SEED
    # A report goes out this long after the request arrives, plus up to `latency_jitter_seconds`
    # (deterministic per request): stored with its due time and published by the scheduler, never
    # waited for in the consumer. The real system takes 30–60 minutes: 1800 and 1800.
    latency_seconds: float = Field(1.0, ge=0)
    latency_jitter_seconds: float = Field(0.0, ge=0)
    # Share of subjects answered with a temporary failure (`failure` set); drawn per request version.
    failure_rate: float = Field(0.0, ge=0, le=1)
    # JSON: {"<ID number>": {facts to pin}, "units": {"<USCC>": {"headcount": n, "insured": m}}}.
    register_file: Path | None = None
    # Results per socialsec.check.reported message (the contract allows at most 1,000).
    report_chunk: int = Field(1000, ge=1, le=1000)

    # The register's shape (see domain/people.py).
    not_found_rate: float = Field(0.01, ge=0, le=1)
    name_differs_rate: float = Field(0.02, ge=0, le=1)
    early_retirement_rate: float = Field(0.05, ge=0, le=1)
    missing_retirement_month_rate: float = Field(0.02, ge=0, le=1)
    deceased_rate: float = Field(0.002, ge=0, le=1)
    employed_rate: float = Field(0.9, ge=0, le=1)
    ss_card_rate: float = Field(0.95, ge=0, le=1)
    medical_rate: float = Field(0.97, ge=0, le=1)
    withholdable_rate: float = Field(0.9, ge=0, le=1)

    schedule_poll_seconds: float = Field(0.2, gt=0)
    schedule_chunk: int = Field(50, ge=1, le=1000)  # requests answered per transaction

    def rates(self) -> RegisterRates:
        return RegisterRates(
            not_found=self.not_found_rate,
            name_differs=self.name_differs_rate,
            early_retirement=self.early_retirement_rate,
            missing_retirement_month=self.missing_retirement_month_rate,
            deceased=self.deceased_rate,
            employed=self.employed_rate,
            ss_card=self.ss_card_rate,
            medical=self.medical_rate,
            withholdable=self.withholdable_rate,
        )
