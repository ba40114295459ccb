from pydantic_settings import SettingsConfigDict

from runtime.settings import ServiceSettings


class CardsSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="CARDS_", extra="ignore", populate_by_name=True)

    service_name: str = "cards"
    database_url: str = "postgresql+asyncpg://postgres@127.0.0.1:5432/cards"
    port: int = 8103

    # Keyed hash of a personal applicant's ID number (runtime.pii.BlindIndex): finds a second
    # application of the same person without keeping the number. base64 of 32 bytes; the default is
    # for local development only. One key, no ring: `python -m cards.keys reindex` moves to a new one.
    blind_index_key: str = "ZGV2LW9ubHktY2FyZHMtYmxpbmQtaW5kZXgta2V5LTA"
    export_max_rows: int = 100_000
