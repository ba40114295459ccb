"""The Grafana dashboards and the Prometheus alert rules only use what the services really export:
every metric a query selects, every label it matches on or groups by, checked against the /metrics
of a running service (the `exported_metrics` fixture), not against a list kept by hand."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from enum import StrEnum
from typing import Any

import pytest

from tests.ops.conftest import Exported
from tests.ops.deploy_model import DEPLOY, load_yaml
from tests.ops.promql import PROMETHEUS_SERIES, SCRAPE_LABELS, read

DASHBOARDS = {
    path.stem: json.loads(path.read_text(encoding="utf-8"))
    for path in sorted((DEPLOY / "grafana" / "dashboards").glob("*.json"))
}
DATASOURCES = {d["uid"]: d for d in load_yaml("grafana/provisioning/datasources/datasources.yaml")["datasources"]}
ALERTS = load_yaml("prometheus/alerts.yml")
_DURATION = re.compile(r"^[0-9]+[smhdw]$")


def panels(board: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for panel in board["panels"]:
        yield panel
        yield from panel.get("panels", [])


def prometheus_queries() -> Iterator[tuple[str, str]]:
    """``(where, expr)`` of every Prometheus query: panels, template variables, alert rules."""
    for name, board in DASHBOARDS.items():
        for panel in panels(board):
            for target in panel.get("targets", []):
                if (target.get("datasource") or panel.get("datasource") or {}).get("uid") == "prometheus":
                    yield f"{name}: {panel['title']}", target["expr"]
        for variable in board["templating"]["list"]:
            if variable["datasource"]["uid"] == "prometheus":
                # label_values(metric{…}, label): the metric selector is the query.
                inner = re.match(r"label_values\((.*),\s*([a-zA-Z_]+)\)$", variable["definition"])
                assert inner, variable["definition"]
                yield f"{name}: ${variable['name']}", f"sum by ({inner.group(2)}) ({inner.group(1)})"
    for group in ALERTS["groups"]:
        for rule in group["rules"]:
            yield f"alert {rule['alert']}", rule["expr"]


QUERIES = list(prometheus_queries())


def test_the_four_dashboards_load_with_unique_uids() -> None:
    assert set(DASHBOARDS) == {"platform-overview", "event-flow", "business", "service-detail"}
    uids = [board["uid"] for board in DASHBOARDS.values()]
    assert sorted(uids) == sorted(set(uids)) == sorted(DASHBOARDS)
    for board in DASHBOARDS.values():
        assert board["title"] and board["panels"] and board["schemaVersion"] >= 36


@pytest.mark.parametrize("name", sorted(DASHBOARDS))
def test_panels_use_provisioned_data_sources_and_fit_the_grid(name: str) -> None:
    for panel in panels(DASHBOARDS[name]):
        position = panel["gridPos"]
        assert position["x"] >= 0 and position["x"] + position["w"] <= 24, panel["title"]
        if panel["type"] == "row":
            continue
        assert panel["datasource"]["uid"] in DATASOURCES, panel["title"]
        assert panel["targets"], f"{panel['title']} has no query"
    ids = [p["id"] for p in panels(DASHBOARDS[name])]
    assert len(ids) == len(set(ids))


def test_business_dashboard_shows_each_business_flow() -> None:
    text = json.dumps(DASHBOARDS["business"])
    for needle in ("members_import_rows_total", 'aggregate=\\"cards.batch\\"', 'topic=\\"bank.v1\\"',
                   'aggregate=\\"enrollment.batch\\"', 'aggregate=\\"billing.payable\\"',
                   'aggregate=\\"enrollment.mutual_aid_batch\\"'):  # fmt: skip
        assert needle in text


def test_business_state_panels_show_what_the_services_count(exported_metrics: Exported) -> None:
    """Every aggregate a dashboard selects is counted by its service (``cards.batch`` by cards …), one
    series per state its domain knows, spelled as the screens spell them; 0 on an empty database."""
    from billing.domain.payables import PayableStatus
    from cards.domain.states import BatchState as CardBatchState
    from cards.domain.states import CardStatus
    from enrollment.domain.batches import BatchState as EnrollmentBatchState
    from enrollment.domain.mutual_aid.batch import BatchStatus as MutualAidBatchStatus

    states: dict[str, type[StrEnum]] = {
        "cards.batch": CardBatchState,
        "cards.card": CardStatus,
        "enrollment.batch": EnrollmentBatchState,
        "enrollment.mutual_aid_batch": MutualAidBatchStatus,
        "billing.payable": PayableStatus,
    }
    selected = {m for _, expr in QUERIES for m in re.findall(r'aggregate="([^"]+)"', expr)}
    assert selected == set(states)
    for aggregate, known in states.items():
        service = aggregate.split(".")[0]
        shown = exported_metrics.states(service).get(aggregate)
        assert shown == {s.value: 0 for s in known}, f"{service} /metrics: {aggregate} is {shown}"


def test_import_rows_are_counted_as_the_import_reports_them(exported_metrics: Exported) -> None:
    job, counted = exported_metrics.imported["job"], exported_metrics.imported["counted"]
    assert (job["state"], job["rows_stored"], job["rows_rejected"]) == ("已完成", 12, 1)
    assert counted == {"accepted": 12, "rejected": 1}
    outcomes = {labels["outcome"] for name, labels, _ in exported_metrics.samples["members"]
                if name == "members_import_rows_total"}  # fmt: skip
    assert outcomes == {"accepted", "rejected"}


@pytest.mark.parametrize(("where", "expr"), QUERIES, ids=[w for w, _ in QUERIES])
def test_queries_use_only_exported_metrics_and_labels(exported_metrics: Exported, where: str, expr: str) -> None:
    query = read(expr)
    assert query.metrics, f"{where}: no metric found in {expr!r}"
    unknown = query.metrics - exported_metrics.names - PROMETHEUS_SERIES
    assert not unknown, f"{where}: {sorted(unknown)} not exported; exported: {sorted(exported_metrics.names)}"
    for metric, labels in query.matched_labels.items():
        if metric in PROMETHEUS_SERIES:
            continue
        missing = labels - exported_metrics.labels[metric] - SCRAPE_LABELS
        assert not missing, f"{where}: {metric} has no label {sorted(missing)}"
    available = set().union(*(exported_metrics.labels.get(m, set()) for m in query.metrics)) | SCRAPE_LABELS
    if query.metrics & PROMETHEUS_SERIES:
        return  # `up` and ALERTS carry labels of their own
    assert query.grouping_labels <= available, f"{where}: grouped by {sorted(query.grouping_labels - available)}"


def test_the_reader_finds_what_it_should() -> None:
    query = read(
        'histogram_quantile(0.99, sum by (job, le) (rate(http_server_duration_milliseconds_bucket{job=~"$job", '
        'http_status_code=~"5.."}[$__rate_interval]))) / ignoring(le) sum(up) or vector(0)'
    )
    assert query.metrics == {"http_server_duration_milliseconds_bucket", "up"}
    assert query.matched_labels["http_server_duration_milliseconds_bucket"] == {"job", "http_status_code"}
    assert query.grouping_labels == {"job", "le"}


def test_a_misspelt_metric_or_label_is_caught(exported_metrics: Exported) -> None:
    typo = read("sum by (topic) (rate(events_consumd_total[5m]))")
    assert typo.metrics - exported_metrics.names == {"events_consumd_total"}
    wrong_label = read('consumer_lag{partition="0"}')
    assert wrong_label.matched_labels["consumer_lag"] - exported_metrics.labels["consumer_lag"] == {"partition"}


def test_alert_rules_are_complete() -> None:
    names = []
    for group in ALERTS["groups"]:
        for rule in group["rules"]:
            names.append(rule["alert"])
            assert rule["labels"]["severity"] in {"warning", "critical"}
            assert rule["annotations"]["summary"] and rule["annotations"]["runbook"].startswith("docs/operations.md#")
            assert _DURATION.match(rule.get("for", "0s"))
    # What the issue asks for: lag growing, DLQ non-empty, outbox older than a minute, error rate.
    assert {"ConsumerLagGrowing", "DeadLettersArrived", "OutboxStale", "HighErrorRate"} <= set(names)
    assert len(names) == len(set(names))
    outbox = next(r for g in ALERTS["groups"] for r in g["rules"] if r["alert"] == "OutboxStale")
    assert "outbox_oldest_age_seconds" in outbox["expr"] and "> 60" in outbox["expr"]


def test_grafana_provisioning_matches_compose() -> None:
    compose = load_yaml("compose.yaml")["services"]["grafana"]
    provider = load_yaml("grafana/provisioning/dashboards/dashboards.yaml")["providers"][0]
    assert f"./grafana/dashboards:{provider['options']['path']}:ro" in compose["volumes"]
    assert set(DATASOURCES) == {"prometheus", "tempo", "loki"}
    assert DATASOURCES["prometheus"]["url"] == "http://prometheus:9090" and DATASOURCES["prometheus"]["isDefault"]
    assert DATASOURCES["tempo"]["url"] == "http://tempo:3200"
    home = compose["environment"]["GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH"]
    assert home == f"{provider['options']['path']}/platform-overview.json"
