"""OpenTelemetry: the Collector, Tempo and Loki configs are wired end to end, and what a service
process exports over OTLP reaches a receiver: the same metrics as on /metrics, spans without ID
numbers or phones.

No Collector binary is available from the package registries here (Debian has none; the one PyPI
wheel that ships `otelcol-contrib` is a cut-down build without the OTLP receiver), so the Collector
config is checked for consistency and the export is received by an in-process OTLP/HTTP server.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlparse

import pytest
from opentelemetry.proto.collector.metrics.v1.metrics_service_pb2 import (
    ExportMetricsServiceRequest,
    ExportMetricsServiceResponse,
)
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)

from tests.ops.deploy_model import load_yaml

RAW_ID, RAW_MOBILE = "110105194912310021", "13812345678"


def _components(config: dict[str, Any], kind: str) -> set[str]:
    return set(config.get(kind) or {})


@pytest.mark.parametrize("name", ["collector.yaml", "logs.yaml"])
def test_collector_pipelines_use_defined_components_and_nothing_is_left_over(name: str) -> None:
    config = load_yaml(f"otel/{name}")
    pipelines = config["service"]["pipelines"]
    assert pipelines
    used: dict[str, set[str]] = {"receivers": set(), "processors": set(), "exporters": set()}
    for pipeline, parts in pipelines.items():
        assert pipeline.split("/")[0] in {"traces", "metrics", "logs"}
        assert parts["receivers"] and parts["exporters"], pipeline
        for kind in used:
            listed = parts.get(kind, [])
            assert set(listed) <= _components(config, kind), f"{pipeline}: {kind} {listed} not all defined"
            used[kind] |= set(listed)
        if "memory_limiter" in parts.get("processors", []):
            assert parts["processors"][0] == "memory_limiter"  # it must come first
        if "batch" in parts.get("processors", []):
            assert parts["processors"][-1] == "batch"
    for kind, names in used.items():
        assert names == _components(config, kind), f"{kind} defined but unused: {_components(config, kind) - names}"
    assert set(config["service"].get("extensions", [])) == _components(config, "extensions")


def test_services_collector_tempo_and_grafana_agree_on_addresses() -> None:
    compose = load_yaml("compose.yaml")
    collector, tempo = load_yaml("otel/collector.yaml"), load_yaml("tempo/tempo.yaml")
    endpoint = urlparse(compose["x-platform-env"]["OTEL_EXPORTER_OTLP_ENDPOINT"])
    assert endpoint.hostname == "otel-collector" and endpoint.hostname in compose["services"]
    http_in = collector["receivers"]["otlp"]["protocols"]["http"]["endpoint"]
    assert http_in == f"0.0.0.0:{endpoint.port}"
    to_tempo = collector["exporters"]["otlp/tempo"]["endpoint"]
    tempo_grpc = tempo["distributor"]["receivers"]["otlp"]["protocols"]["grpc"]["endpoint"]
    assert to_tempo == f"tempo:{tempo_grpc.rsplit(':', 1)[1]}"
    assert "./otel/collector.yaml:/etc/otelcol/collector.yaml:ro" in compose["services"]["otel-collector"]["volumes"]
    assert compose["services"]["otel-collector"]["command"] == ["--config=/etc/otelcol/collector.yaml"]
    grafana = {d["uid"]: d for d in load_yaml("grafana/provisioning/datasources/datasources.yaml")["datasources"]}
    assert grafana["tempo"]["url"] == f"http://tempo:{tempo['server']['http_listen_port']}"
    loki = load_yaml("loki/loki.yaml")
    assert grafana["loki"]["url"] == f"http://loki:{loki['server']['http_listen_port']}"
    shipper = load_yaml("otel/logs.yaml")
    assert shipper["exporters"]["otlphttp/loki"]["endpoint"] == f"http://loki:{loki['server']['http_listen_port']}/otlp"
    prometheus = load_yaml("prometheus/prometheus.yml")
    collector_targets = next(j for j in prometheus["scrape_configs"] if j["job_name"] == "otel-collector")
    pushed = collector["exporters"]["prometheus"]["endpoint"].rsplit(":", 1)[1]
    assert f"otel-collector:{pushed}" in collector_targets["static_configs"][0]["targets"]


def test_metrics_are_scraped_not_pushed_twice() -> None:
    """Prometheus scrapes each service, so the services must not also push the same series."""
    compose = load_yaml("compose.yaml")
    assert compose["x-platform-env"]["OTEL_METRICS_EXPORTER"] == "none"
    assert load_yaml("k8s/base/platform-config.yaml")["data"]["OTEL_METRICS_EXPORTER"] == "none"


# --- an export from a service process, received in-process ------------------------------------------


class _Receiver(BaseHTTPRequestHandler):
    received: list[tuple[str, bytes]] = []

    def do_POST(self) -> None:  # noqa: N802 - the http.server API
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.received.append((self.path, body))
        reply = ExportTraceServiceResponse() if self.path == "/v1/traces" else ExportMetricsServiceResponse()
        payload = reply.SerializeToString()
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def receiver() -> Iterator[tuple[str, list[tuple[str, bytes]]]]:
    received: list[tuple[str, bytes]] = []
    handler = type("Receiver", (_Receiver,), {"received": received})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", received
    server.shutdown()
    server.server_close()


_SERVICE_PROCESS = textwrap.dedent(
    f"""
    import asyncio, json
    import httpx
    from aiokafka import TopicPartition
    from fastapi import FastAPI
    from opentelemetry import metrics, trace
    from prometheus_client.parser import text_string_to_metric_families
    from runtime import telemetry as t

    t.setup_telemetry("ops-otlp")

    class Consumer:
        def assignment(self): return {{TopicPartition("ops.v1", 0)}}
        def highwater(self, tp): return 10

    consumer = Consumer()
    t.record_published("ops.v1", "ops.thing.happened", 3)
    t.record_consumed("ops.v1", "ops.thing.happened", "ok", 0.01, "ops")
    t.record_position("ops.v1", "ops", 0, 4, consumer)
    t.record_dlq("ops.v1")
    t.record_outbox({{"ops.v1": (2, 1.5)}})
    t.record_import_rows(1000)
    t.record_state_counts("ops.batch", {{"submitted": 2}})

    app = FastAPI()
    @app.get("/members")
    async def members(id_number: str = "") -> dict:
        with trace.get_tracer("ops").start_as_current_span("lookup") as span:
            span.set_attribute("member.phone", "{RAW_MOBILE}")
        return {{}}
    app.include_router(t.metrics_router())
    t.instrument_app(app)

    async def main():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://svc") as client:
            await client.get("/members", params={{"id_number": "{RAW_ID}"}})
            return (await client.get("/metrics")).text

    text = asyncio.run(main())
    trace.get_tracer_provider().force_flush()
    metrics.get_meter_provider().force_flush()
    families = {{
        f.name for f in text_string_to_metric_families(text)
        if any("otel_scope_name" in s.labels for s in f.samples)
    }}
    print(json.dumps(sorted(families)))
    """
)


def test_a_service_process_exports_its_metrics_and_scrubbed_spans_over_otlp(
    receiver: tuple[str, list[tuple[str, bytes]]],
) -> None:
    """A process with OTEL_EXPORTER_OTLP_ENDPOINT set sends every OTel metric it shows on /metrics
    (platform instruments and the FastAPI instrumentation) and its spans to the endpoint, with the
    service name on the resource and no ID number or phone in any span."""
    endpoint, received = receiver
    env = {k: v for k, v in os.environ.items() if not k.startswith("OTEL_")}
    env |= {"OTEL_EXPORTER_OTLP_ENDPOINT": endpoint, "OTEL_EXPORTER_OTLP_TIMEOUT": "5"}
    command = [sys.executable, "-c", _SERVICE_PROCESS]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    scraped = set(json.loads(done.stdout.strip().splitlines()[-1]))

    metric_requests = [ExportMetricsServiceRequest.FromString(b) for p, b in received if p == "/v1/metrics"]
    trace_requests = [ExportTraceServiceRequest.FromString(b) for p, b in received if p == "/v1/traces"]
    assert metric_requests and trace_requests
    pushed = {
        metric.name.replace(".", "_")
        for request in metric_requests
        for resource in request.resource_metrics
        for scope in resource.scope_metrics
        for metric in scope.metrics
    }
    services = {
        attr.value.string_value
        for request in [*metric_requests, *trace_requests]
        for resource in (*getattr(request, "resource_metrics", ()), *getattr(request, "resource_spans", ()))
        for attr in resource.resource.attributes
        if attr.key == "service.name"
    }
    assert services == {"ops-otlp"}
    # Prometheus adds unit suffixes (http_server_duration -> ..._milliseconds); OTLP keeps the bare name.
    for family in scraped:
        assert any(family == name or family.startswith(name + "_") for name in pushed), f"{family} not pushed"
    assert {"consumer_lag", "outbox_oldest_age_seconds", "members_import_rows", "aggregates_by_state"} <= pushed

    spans = [
        span
        for request in trace_requests
        for resource in request.resource_spans
        for scope in resource.scope_spans
        for span in scope.spans
    ]
    assert {"GET /members", "lookup"} <= {s.name for s in spans}
    text = str(spans)
    assert RAW_ID not in text and RAW_MOBILE not in text
    # The query string reaches the server span's http.target, the phone a span attribute: both masked.
    assert "110***********0021" in text and "138*****5678" in text
