from pydantic_settings import SettingsConfigDict

from runtime.settings import ServiceSettings


class OrgSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="ORG_", extra="ignore", populate_by_name=True)

    service_name: str = "org"
    database_url: str = "postgresql+asyncpg://postgres@127.0.0.1:5432/org"
    port: int = 8101
