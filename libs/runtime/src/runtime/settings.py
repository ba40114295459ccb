"""Settings shared by every service; each service subclasses with its own `<SVC>_` prefix.

Platform-wide values (broker, token secret, retry policy) carry an explicit alias so that one
environment configures every process the same way, whatever the service's prefix.
"""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from .pii import KeyRing, PartnerSeal


class ServiceSettings(BaseSettings):
    model_config = SettingsConfigDict(extra="ignore", populate_by_name=True)

    service_name: str = "service"
    database_url: str = "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
    port: int = 8100
    log_level: str = "INFO"

    kafka_bootstrap_servers: str = Field("127.0.0.1:9092", validation_alias="KAFKA_BOOTSTRAP_SERVERS")
    # On for Apache Kafka; Tansu (the local broker) does not support the idempotent producer.
    kafka_idempotent: bool = Field(False, validation_alias="KAFKA_IDEMPOTENT")
    # Locally a service creates the topics it needs (3 partitions, replication 1); in production the
    # topics job creates them from deploy/topics.yaml and this is off.
    kafka_create_topics: bool = Field(True, validation_alias="KAFKA_CREATE_TOPICS")
    internal_token_secret: str = Field(
        "local-development-secret-change-me-0123456789", validation_alias="INTERNAL_TOKEN_SECRET"
    )
    internal_token_ttl_seconds: int = Field(120, validation_alias="INTERNAL_TOKEN_TTL_SECONDS")

    # Seals ID numbers for the outside systems (runtime.pii.PartnerSeal); shared by members, cards and the
    # adapters. base64 of 32 bytes; the default is for local development only.
    partner_seal_key: str = Field("ZGV2LW9ubHktcGFydG5lci1zZWFsLWtleS0wMTIzNDU", validation_alias="PARTNER_SEAL_KEY")
    # Key rotation without a cut-over (docs/operations.md, "Rotating keys"): the id that leads what is
    # sealed under PARTNER_SEAL_KEY, and the other keys still opened ("1:<base64>,3:<base64>").
    partner_seal_key_id: int = Field(1, validation_alias="PARTNER_SEAL_KEY_ID")
    partner_seal_retired_keys: str = Field("", validation_alias="PARTNER_SEAL_RETIRED_KEYS")

    consumer_max_attempts: int = Field(5, validation_alias="CONSUMER_MAX_ATTEMPTS")
    consumer_backoff_seconds: float = Field(0.2, validation_alias="CONSUMER_BACKOFF_SECONDS")
    outbox_poll_seconds: float = Field(0.1, validation_alias="OUTBOX_POLL_SECONDS")
    # Sent outbox rows are kept this long so that a new, empty local broker can be refilled.
    outbox_retention_hours: int = Field(168, validation_alias="OUTBOX_RETENTION_HOURS")
    # How often the aggregates-by-state gauge (runtime.state_gauge) is counted, per service
    # (`<SVC>_STATE_SCAN_SECONDS`; 0: never).
    state_scan_seconds: float = Field(60.0, ge=0)

    def partner_seal(self) -> PartnerSeal:
        """The partner seal of these settings; called when the process starts, so that a bad key
        stops it with a PiiKeyError naming the setting."""
        ring = KeyRing.from_settings(
            "PARTNER_SEAL", self.partner_seal_key, self.partner_seal_key_id, self.partner_seal_retired_keys
        )
        return PartnerSeal(ring)
