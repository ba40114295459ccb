import enrollment.models  # noqa: F401  (registers the tables)
from enrollment.models.columns import ENROLLMENT
from runtime.migration_env import run
from runtime.tables import migration_metadata

run(migration_metadata(ENROLLMENT))
