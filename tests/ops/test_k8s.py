"""deploy/k8s: the kustomize base (and the production overlay) hold, for every service and adapter,
a Deployment with probes on the right paths and ports, resources, its settings from the ConfigMap
and its keys from the Secret, a Service, an autoscaler and a disruption budget; and the topic Job."""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.ops.conftest import Exported
from tests.ops.deploy_model import (
    DEPLOY,
    Deployable,
    deployables,
    dotenv,
    env_name,
    load_yaml_documents,
    required_fields,
)
from tests.ops.promql import read

BASE = DEPLOY / "k8s" / "base"
SERVICES = deployables()


@pytest.fixture(scope="module")
def objects() -> dict[tuple[str, str], dict[str, Any]]:
    kustomization = load_yaml_documents(BASE / "kustomization.yaml")[0]
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for resource in kustomization["resources"]:
        for doc in load_yaml_documents(BASE / resource):
            key = (doc["kind"], doc["metadata"]["name"])
            assert key not in found, f"{key} defined twice"
            found[key] = doc
    return found


def container(deployment: dict[str, Any]) -> dict[str, Any]:
    containers = deployment["spec"]["template"]["spec"]["containers"]
    assert len(containers) == 1
    return dict(containers[0])


def test_every_manifest_file_is_in_the_kustomization() -> None:
    listed = set(load_yaml_documents(BASE / "kustomization.yaml")[0]["resources"])
    on_disk = {p.name for p in BASE.glob("*.yaml")} - {"kustomization.yaml"}
    assert listed == on_disk


@pytest.mark.parametrize("service", SERVICES, ids=lambda s: s.name)
def test_deployment_probes_resources_and_security(objects: dict[tuple[str, str], Any], service: Deployable) -> None:
    deployment = objects.get(("Deployment", service.name))
    assert deployment, f"deploy/k8s/base has no Deployment {service.name}"
    spec = deployment["spec"]["template"]["spec"]
    main = container(deployment)
    assert main["image"] == f"union-platform/{service.name}:latest"
    ports = {p["name"]: p["containerPort"] for p in main["ports"]}
    if service.settings_class is not None:
        assert ports == {"http": service.port}
    assert main["readinessProbe"]["httpGet"] == {"path": "/readyz", "port": "http"}
    assert main["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": "http"}
    assert main["startupProbe"]["httpGet"]["path"] == "/healthz"
    resources = main["resources"]
    assert {"cpu", "memory"} <= set(resources["requests"]) and "memory" in resources["limits"]
    assert spec["securityContext"]["runAsNonRoot"] is True
    assert main["securityContext"]["allowPrivilegeEscalation"] is False
    assert main["securityContext"]["readOnlyRootFilesystem"] is True
    assert any(m["mountPath"] == "/tmp" for m in main["volumeMounts"])
    assert spec["terminationGracePeriodSeconds"] > 20  # uvicorn's graceful drain in the image
    waits = spec["initContainers"][0]
    assert waits["image"] == "union-platform/topics:latest" and "--check" in waits["command"]


@pytest.mark.parametrize("service", SERVICES, ids=lambda s: s.name)
def test_settings_come_from_the_config_map_and_keys_from_the_secret(
    objects: dict[tuple[str, str], Any], service: Deployable
) -> None:
    if service.settings_class is None:
        pytest.skip(f"{service.name} has no settings yet")
    main = container(objects[("Deployment", service.name)])
    config = objects[("ConfigMap", "platform-config")]["data"]
    secret = objects[("Secret", "platform-secrets")]["stringData"]
    assert [e["configMapRef"]["name"] for e in main["envFrom"]] == ["platform-config"]
    given = set(config) | {e["name"] for e in main["env"]}
    for field in required_fields(service):
        name = env_name(service.settings_class, field)
        assert name in given, f"{service.name} gets no {name}"
    for entry in main["env"]:
        ref = entry.get("valueFrom", {}).get("secretKeyRef")
        if ref:
            assert ref["name"] == "platform-secrets" and ref["key"] in secret
            assert ref["key"] == entry["name"]
    secret_keys = {e["name"] for e in main["env"] if "secretKeyRef" in e.get("valueFrom", {})}
    assert not secret_keys & set(config), "a key must not also sit in the ConfigMap"
    # Keys and secrets only from the Secret, never as literal values.
    literal = {e["name"] for e in main["env"] if "value" in e}
    assert not {n for n in literal if n.endswith(("_KEY", "_SECRET", "DATABASE_URL"))}


def test_overlay_secret_example_lists_exactly_the_base_secret_keys(objects: dict[tuple[str, str], Any]) -> None:
    example = dotenv((DEPLOY / "k8s" / "overlays" / "production" / "secrets.env.example").read_text())
    assert set(example) == set(objects[("Secret", "platform-secrets")]["stringData"])
    assert (DEPLOY / "k8s" / "overlays" / "production" / ".gitignore").read_text().split() == ["secrets.env"]


@pytest.mark.parametrize("service", SERVICES, ids=lambda s: s.name)
def test_service_autoscaler_and_disruption_budget(objects: dict[tuple[str, str], Any], service: Deployable) -> None:
    deployment = objects[("Deployment", service.name)]
    labels = deployment["spec"]["template"]["metadata"]["labels"]
    svc = objects[("Service", service.name)]["spec"]
    assert svc["selector"].items() <= labels.items()
    assert svc["ports"][0]["targetPort"] == "http"
    if service.settings_class is not None:
        assert svc["ports"][0]["port"] == service.port  # the gateway's upstream URLs use these
    hpa = objects[("HorizontalPodAutoscaler", service.name)]["spec"]
    assert hpa["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment", "name": service.name}
    assert deployment["spec"]["replicas"] == hpa["minReplicas"] <= hpa["maxReplicas"]
    pdb = objects[("PodDisruptionBudget", service.name)]["spec"]
    assert pdb["selector"]["matchLabels"].items() <= labels.items()
    assert pdb["minAvailable"] < hpa["minReplicas"]


def test_gateway_upstreams_point_at_the_services(objects: dict[tuple[str, str], Any]) -> None:
    config = objects[("ConfigMap", "platform-config")]["data"]
    for key, url in config.items():
        if key.startswith("GATEWAY_") and key.endswith("_URL"):
            upstream = key.removeprefix("GATEWAY_").removesuffix("_URL").lower()
            port = objects[("Service", upstream)]["spec"]["ports"][0]["port"]
            assert url == f"http://{upstream}:{port}"


def test_topic_job(objects: dict[tuple[str, str], Any]) -> None:
    job = objects[("Job", "topics")]["spec"]
    pod = job["template"]["spec"]
    assert pod["restartPolicy"] == "OnFailure"
    assert pod["containers"][0]["image"] == "union-platform/topics:latest"
    assert pod["securityContext"]["runAsNonRoot"] is True


@pytest.mark.skipif(shutil.which("kubectl") is None, reason="kubectl (with kustomize) is not installed")
def test_kustomize_builds_base_and_production_overlay(tmp_path: Path) -> None:
    """`kubectl kustomize` renders the base, and the production overlay once its secrets.env exists."""
    built = subprocess.run(["kubectl", "kustomize", str(BASE)], capture_output=True, text=True, timeout=120)
    assert built.returncode == 0, built.stderr
    kinds = [doc["kind"] for doc in _documents(built.stdout)]
    assert kinds.count("Deployment") == len(SERVICES)

    tree = tmp_path / "k8s"
    shutil.copytree(DEPLOY / "k8s", tree)
    overlay = tree / "overlays" / "production"
    shutil.copy(overlay / "secrets.env.example", overlay / "secrets.env")
    built = subprocess.run(["kubectl", "kustomize", str(overlay)], capture_output=True, text=True, timeout=120)
    assert built.returncode == 0, built.stderr
    images = {c["image"] for doc in _documents(built.stdout) if doc["kind"] == "Deployment" for c in _pods(doc)}
    assert all(image.startswith("registry.example.cn/union-platform/") for image in images)


def _documents(text: str) -> list[dict[str, Any]]:
    import yaml

    return [doc for doc in yaml.safe_load_all(text) if doc]


def _pods(deployment: dict[str, Any]) -> list[dict[str, Any]]:
    spec = deployment["spec"]["template"]["spec"]
    return [*spec.get("initContainers", []), *spec["containers"]]


# --- the optional lag-scaling component (KEDA) ------------------------------------------------------

COMPONENT = DEPLOY / "k8s" / "components" / "lag-scaling"
SCALED = load_yaml_documents(COMPONENT / "scaled-objects.yaml")


def topic_specs() -> list[Any]:
    spec = importlib.util.spec_from_file_location("create_topics", DEPLOY / "topics" / "create_topics.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    specs: list[Any] = module.load_specs((DEPLOY / "topics.yaml").read_text(encoding="utf-8"))
    return specs


def consumed_topics(service: Deployable) -> set[str]:
    """The topics a service subscribes to, read from its consumers module (`topics.MEMBERS: {…}`)."""
    from contracts import topics

    source = (service.directory / "src" / service.name / "consumers.py").read_text(encoding="utf-8")
    return {getattr(topics, name) for name in re.findall(r"topics\.([A-Z]+)\s*:\s*\{", source)}


@pytest.mark.parametrize("scaled", SCALED, ids=lambda s: s["metadata"]["name"])
def test_lag_scaling_stays_within_the_partitions_of_what_the_group_reads(
    objects: dict[tuple[str, str], Any], scaled: dict[str, Any], exported_metrics: Exported
) -> None:
    name = scaled["metadata"]["name"]
    service = next(s for s in SERVICES if s.name == name)
    assert ("Deployment", name) in objects and scaled["spec"]["scaleTargetRef"]["name"] == name
    partitions = {spec.name: spec.partitions for spec in topic_specs()}
    read_topics = consumed_topics(service)
    assert read_topics, f"{name} consumes nothing: lag cannot scale it"
    assert scaled["spec"]["maxReplicaCount"] <= max(partitions[t] for t in read_topics)
    assert scaled["spec"]["minReplicaCount"] == objects[("Deployment", name)]["spec"]["replicas"]
    lag = next(t for t in scaled["spec"]["triggers"] if t["type"] == "prometheus")["metadata"]["query"]
    query = read(lag)
    assert query.metrics <= exported_metrics.names
    assert f'group="{name}"' in lag  # the consumer group is named after the service


def test_lag_scaling_replaces_exactly_the_cpu_autoscalers_it_covers(tmp_path: Path) -> None:
    if shutil.which("kubectl") is None:
        pytest.skip("kubectl (with kustomize) is not installed")
    tree = tmp_path / "k8s"
    shutil.copytree(DEPLOY / "k8s", tree)
    overlay = tree / "overlays" / "try"
    overlay.mkdir()
    (overlay / "kustomization.yaml").write_text(
        "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"
        "resources: [../../base]\ncomponents: [../../components/lag-scaling]\n"
    )
    built = subprocess.run(["kubectl", "kustomize", str(overlay)], capture_output=True, text=True, timeout=120)
    assert built.returncode == 0, built.stderr
    docs = _documents(built.stdout)
    hpas = {d["metadata"]["name"] for d in docs if d["kind"] == "HorizontalPodAutoscaler"}
    scaled = {d["metadata"]["name"] for d in docs if d["kind"] == "ScaledObject"}
    assert scaled == {s["metadata"]["name"] for s in SCALED}
    assert not hpas & scaled and hpas | scaled == {s.name for s in SERVICES}
