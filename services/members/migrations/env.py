from members.models import MEMBERS
from runtime.migration_env import run
from runtime.tables import migration_metadata

run(migration_metadata(MEMBERS))
