"""互助保障 年度设置 for the scope matrix: the insurer's loads of a year (建议清册, 社保在职人数) — who may call
each route and probes aiming at the year district B's batch is in. The loads are city-wide data, the
insurer's and the platform's alone: every other tier gets 403, and a refused upload loads nothing."""

from __future__ import annotations

from typing import Any

from enrollment.service.mutual_aid.loads import headcount_file, suggested_file
from services.gateway.tests.integration.mutual_aid_batches_world import REVIEWERS, person_id

# The policy, written down once more independently of gateway.domain.access.
YEARS_AUDIENCE: dict[str, set[str]] = dict.fromkeys(
    [
        *("download_suggested_template", "upload_suggested_roster", "search_suggested_roster"),
        *("export_suggested_roster", "download_headcount_template", "upload_unit_headcounts"),
        *("search_unit_headcounts", "export_unit_headcounts"),
    ],
    REVIEWERS,
)


def years_probes(i: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    year = {"path": {"year": i["b_ma_year"]}}
    people = suggested_file([("乙区探测", person_id(92), "00000002", "在职")])
    units = headcount_file([("00000002", "乙区探测单位", 3)])
    return {
        "download_suggested_template": [{}],
        "upload_suggested_roster": [year | {"params": {"file_name": "探测.xlsx"}, "content": people}],
        "search_suggested_roster": [year, year | {"params": {"name": "乙区"}}],
        "export_suggested_roster": [year | {"params": {"unit_code": "0000"}}],
        "download_headcount_template": [{}],
        "upload_unit_headcounts": [year | {"params": {"file_name": "探测.xlsx"}, "content": units}],
        "search_unit_headcounts": [year, year | {"params": {"unit_code": "0000"}}],
        "export_unit_headcounts": [year],
    }
