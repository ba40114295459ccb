from sqlmodel import SQLModel

import billing.models  # noqa: F401  (registers the tables)
from runtime import inbox, outbox  # noqa: F401
from runtime.migration_env import run

run(SQLModel.metadata)
