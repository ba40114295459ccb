from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field
from pydantic_settings import SettingsConfigDict

from runtime.settings import ServiceSettings

WEB_DIST = Path(__file__).resolve().parents[2] / "web" / "dist"


class GatewaySettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="GATEWAY_", extra="ignore", populate_by_name=True)

    service_name: str = "gateway"
    database_url: str = "postgresql+asyncpg://postgres@127.0.0.1:5432/gateway"
    port: int = 8000

    redis_url: str = Field(
        "redis://127.0.0.1:6379/0", validation_alias=AliasChoices("GATEWAY_REDIS_URL", "REDIS_URL", "redis_url")
    )
    # Every Redis key starts with this, so one Redis can serve several stacks (and tests) apart.
    redis_key_prefix: str = "gateway:"

    session_idle_minutes: int = Field(30, ge=1)
    session_absolute_hours: int = Field(12, ge=1)
    # Secure cookies only behind TLS; the local runner serves plain HTTP on 127.0.0.1.
    session_cookie_secure: bool = False

    lockout_threshold: int = Field(5, ge=1)
    lockout_minutes: int = Field(15, ge=1)
    rate_window_seconds: int = Field(60, ge=1)
    login_rate_per_ip: int = Field(20, ge=1)
    login_rate_per_account: int = Field(10, ge=1)
    captcha_rate_per_ip: int = Field(60, ge=1)
    registration_rate_per_ip: int = Field(10, ge=1)
    # 找回密码 applications, counted like logins: per client address and per USCC.
    password_reset_rate_per_ip: int = Field(20, ge=1)
    password_reset_rate_per_account: int = Field(10, ge=1)
    # Behind a reverse proxy the client is the proxy: only then trust its X-Forwarded-For.
    trust_forwarded_for: bool = False

    captcha_ttl_seconds: int = Field(300, ge=30)
    # For automated end-to-end runs and benchmarks only: every captcha answer is this code.
    captcha_fixed_code: str | None = None

    # "strict" is the manuals' rule (8–20 chars with letters, digits and special characters).
    password_policy: Literal["strict", "basic"] = "strict"
    # 退休住院计划 预派账号 (tuixiu+参保编码): the initial password the manual publishes (003 一(一)); it is
    # changed at the first login.
    retiree_initial_password: str = Field("Txbz123456", min_length=6, max_length=128)

    # 等保 asks for at least six months of operation logs.
    audit_retention_days: int = Field(183, ge=183)
    audit_purge_interval_seconds: float = Field(6 * 3600, gt=0)

    org_url: str = "http://127.0.0.1:8101"
    members_url: str = "http://127.0.0.1:8102"
    enrollment_url: str = "http://127.0.0.1:8104"
    cards_url: str = "http://127.0.0.1:8103"
    billing_url: str = "http://127.0.0.1:8105"
    upstream_timeout_seconds: float = Field(5.0, gt=0)
    # Enrollment submissions render the notice PDF in the request (the first one after a start also
    # loads the fonts): they get longer than the other services' calls.
    enrollment_timeout_seconds: float = Field(30.0, gt=0)
    # Billing renders PDFs in the request too (a re-issued notice, receipts being issued).
    billing_timeout_seconds: float = Field(30.0, gt=0)
    # Files a service builds before its first byte (roster PDFs, 100,000-row exports) take longer.
    upstream_file_timeout_seconds: float = Field(120.0, gt=0)

    max_body_bytes: int = Field(1024 * 1024, ge=1024)
    # Roster uploads (POST /api/imports, /api/compares): the members service's own limit (20 MB) plus
    # room for the multipart envelope, so that service answers an oversized file in its own words.
    # Voucher uploads (a voucher and a refund explanation, 10 MB each at billing) get the same room.
    upload_max_bytes: int = Field(20 * 1024 * 1024 + 64 * 1024, ge=1024)
    static_dir: Path = WEB_DIST
