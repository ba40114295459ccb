"""deploy/compose.yaml, its .env.example and the Dockerfiles, checked without a Docker engine: every
service and adapter of the workspace is built and started, waits for what it needs, and gets every
setting its settings class needs for production."""

from __future__ import annotations

import fnmatch
import os
from typing import Any

import pytest

from runtime.pii import key_from_text
from tests.ops.deploy_model import (
    DEPLOY,
    REPO,
    Deployable,
    compose_variables,
    deployables,
    dockerfile_instructions,
    dotenv,
    env_name,
    interpolate,
    load_yaml,
    required_fields,
)

SERVICES = deployables()
RUNNABLE = [s for s in SERVICES if s.runnable]
CONDITIONS = {"service_started", "service_healthy", "service_completed_successfully"}


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    document: dict[str, Any] = load_yaml("compose.yaml")
    return document


@pytest.fixture(scope="module")
def dotenv_values() -> dict[str, str]:
    """deploy/.env as make_env.py writes it from .env.example."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_env", DEPLOY / "make_env.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    rendered = module.render((DEPLOY / ".env.example").read_text(encoding="utf-8"))
    values = dotenv(rendered)
    assert not [k for k, v in values.items() if "__generate" in v]
    return values


def test_the_workspace_has_services_to_deploy() -> None:
    assert {"gateway", "org", "members"} <= {s.name for s in SERVICES}


@pytest.mark.parametrize("service", SERVICES, ids=lambda s: s.name)
def test_every_service_is_built_from_its_own_dockerfile(compose: dict[str, Any], service: Deployable) -> None:
    entry = compose["services"].get(service.name)
    assert entry, f"compose.yaml has no service {service.name}: add it, built from docker/{service.name}.Dockerfile"
    assert entry["build"]["context"] == ".."
    assert (DEPLOY / ".." / entry["build"]["dockerfile"]).resolve() == service.dockerfile.resolve()
    assert service.dockerfile.exists()
    assert entry["image"].endswith(f"/{service.name}:${{IMAGE_TAG:-local}}")
    assert "profiles" not in entry, "services run in every profile"


@pytest.mark.parametrize("service", SERVICES, ids=lambda s: s.name)
def test_dockerfile_is_multi_stage_uv_non_root_with_a_healthcheck(service: Deployable) -> None:
    steps = dockerfile_instructions(service.dockerfile)
    text = "\n".join(f"{i} {a}" for i, a in steps)
    assert sum(1 for i, _ in steps if i == "FROM") >= 2
    assert f"uv sync --frozen --no-dev --package {service.name}" in text
    final_stage = text.rsplit("\nFROM ", 1)[1]
    assert "USER 10001" in final_stage and "USER root" not in final_stage
    health = [a for i, a in steps if i == "HEALTHCHECK"]
    assert len(health) == 1 and "/healthz" in health[0]
    if service.runnable and service.settings_class:
        assert f"{service.name.upper()}_PORT={service.port}" in final_stage
        assert f"EXPOSE {service.port}" in final_stage
        assert f"{service.name}.main:create_app" in final_stage


def test_gateway_image_builds_the_web_ui_with_node_20() -> None:
    steps = dockerfile_instructions(DEPLOY / "docker" / "gateway.Dockerfile")
    text = "\n".join(f"{i} {a}" for i, a in steps)
    assert "ARG NODE_IMAGE=node:20" in text
    assert "npm ci" in text and "npm run build" in text
    assert "COPY --from=web /web/dist /app/services/gateway/web/dist" in text


@pytest.mark.parametrize("dockerfile", sorted((DEPLOY / "docker").glob("*.Dockerfile")), ids=lambda p: p.stem)
def test_what_a_dockerfile_copies_exists_and_is_not_ignored(dockerfile: Any) -> None:
    service = next((s for s in SERVICES if s.name == dockerfile.stem), None)
    if service is not None and not service.runnable:
        pytest.skip(f"{service.name} has no app factory yet")
    ignored = [
        line.strip()
        for line in dockerfile.with_name(dockerfile.name + ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    for instruction, args in dockerfile_instructions(dockerfile):
        if instruction != "COPY" or args.startswith("--from"):
            continue
        for source in args.split()[:-1]:
            assert (REPO / source).exists(), f"{dockerfile.name}: COPY {source} does not exist"
            hits = [p for p in ignored if fnmatch.fnmatch(source.rstrip("/"), p) or source.startswith(p + "/")]
            assert not hits, f"{dockerfile.name}: COPY {source} is excluded by {hits}"


def test_depends_on_names_services_with_what_the_condition_needs(compose: dict[str, Any]) -> None:
    services = compose["services"]
    image_healthcheck = {s.name for s in SERVICES if "HEALTHCHECK" in s.dockerfile.read_text()}
    for name, entry in services.items():
        for target, rule in _depends_on(entry).items():
            assert target in services, f"{name} depends on unknown {target}"
            assert rule["condition"] in CONDITIONS
            if rule["condition"] == "service_healthy":
                assert "healthcheck" in services[target] or target in image_healthcheck, f"{target} has no healthcheck"
            if rule["condition"] == "service_completed_successfully":
                assert services[target].get("restart") == "no", f"{target} is a one-shot job"
            # A service of every profile cannot wait for one that only some profiles start.
            if "profiles" not in entry:
                assert "profiles" not in services[target], f"{name} waits for {target}, which not every profile runs"


def _depends_on(entry: dict[str, Any]) -> dict[str, dict[str, str]]:
    """Both compose forms: a list of names (started) or a map of name to condition."""
    needs = entry.get("depends_on") or {}
    if isinstance(needs, list):
        return {name: {"condition": "service_started"} for name in needs}
    return dict(needs)


@pytest.mark.parametrize("service", RUNNABLE, ids=lambda s: s.name)
def test_services_wait_for_database_broker_and_topics(compose: dict[str, Any], service: Deployable) -> None:
    needs = compose["services"][service.name]["depends_on"]
    assert needs["postgres"]["condition"] == "service_healthy"
    assert needs["kafka-1"]["condition"] == "service_healthy"
    assert needs["topics"]["condition"] == "service_completed_successfully"
    assert compose["services"][service.name]["stop_grace_period"] == "30s"  # > uvicorn's 20 s drain


def test_profiles_small_has_one_broker_full_three_logs_loki(compose: dict[str, Any]) -> None:
    services = compose["services"]
    brokers = [n for n, e in services.items() if str(e.get("image", "")).startswith("apache/kafka:")]
    assert sorted(brokers) == ["kafka-1", "kafka-2", "kafka-3"]
    assert "profiles" not in services["kafka-1"]
    assert services["kafka-2"]["profiles"] == services["kafka-3"]["profiles"] == ["full"]
    assert services["loki"]["profiles"] == services["log-shipper"]["profiles"] == ["logs"]
    node_ids = {services[b]["environment"]["KAFKA_NODE_ID"] for b in brokers}
    assert node_ids == {"1", "2", "3"}
    assert all(services[b]["environment"]["KAFKA_PROCESS_ROLES"] == "broker,controller" for b in brokers)


def test_every_variable_without_a_default_is_in_env_example(compose: dict[str, Any]) -> None:
    example = dotenv((DEPLOY / ".env.example").read_text(encoding="utf-8"))
    for name, op, _ in compose_variables(compose):
        if op not in (":-", "-"):
            assert name in example, f"${{{name}}} is used by compose.yaml but not in deploy/.env.example"


def test_generated_keys_and_secrets_are_valid(dotenv_values: dict[str, str]) -> None:
    keys = [k for k in dotenv_values if k.endswith("_KEY")]
    assert keys
    for key in keys:
        assert len(key_from_text(dotenv_values[key])) == 32, key
    assert len(dotenv_values["INTERNAL_TOKEN_SECRET"]) >= 32
    assert len(dotenv_values["KAFKA_CLUSTER_ID"]) == 22


def service_environment(compose: dict[str, Any], name: str, values: dict[str, str]) -> dict[str, str]:
    environment = compose["services"][name]["environment"]
    return {key: interpolate(str(value), values) for key, value in environment.items()}


@pytest.mark.parametrize("service", RUNNABLE, ids=lambda s: s.name)
def test_settings_get_every_production_value_from_compose(
    compose: dict[str, Any], dotenv_values: dict[str, str], service: Deployable, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The service's settings, read from exactly the environment compose gives its container, hold
    a real value (not the local-development default) for its database, broker, peers and keys."""
    cls = service.settings_class
    if cls is None:
        pytest.skip(f"{service.name} has no settings yet")
    environment = service_environment(compose, service.name, dotenv_values)
    prefix = cls.model_config.get("env_prefix", "")
    fields = {env_name(cls, f) for f in cls.model_fields}
    unknown = [k for k in environment if k.startswith(str(prefix)) and k not in fields]
    assert not unknown, f"compose sets {unknown}, which {cls.__name__} does not read"

    for key in list(os.environ):
        if key.startswith(str(prefix)) or key in fields:
            monkeypatch.delenv(key, raising=False)
    for key, value in environment.items():
        monkeypatch.setenv(key, value)
    settings = cls()
    for field in required_fields(service):
        default = cls.model_fields[field].default
        assert getattr(settings, field) != default, f"{service.name}: {env_name(cls, field)} is not set by compose"
        if field.endswith("_key"):
            key_from_text(getattr(settings, field))
    assert f"@postgres:5432/{service.name}" in settings.database_url


def test_gateway_reaches_its_upstreams_on_their_ports(compose: dict[str, Any]) -> None:
    environment = compose["services"]["gateway"]["environment"]
    by_name = {s.name: s for s in RUNNABLE}
    for key, value in environment.items():
        if key.endswith("_URL") and key not in ("GATEWAY_DATABASE_URL", "GATEWAY_REDIS_URL"):
            upstream = key.removeprefix("GATEWAY_").removesuffix("_URL").lower()
            assert value == f"http://{upstream}:{by_name[upstream].port}"
            assert compose["services"]["gateway"]["depends_on"][upstream]["condition"] == "service_healthy"


def test_postgres_creates_a_database_for_every_service(compose: dict[str, Any]) -> None:
    postgres = compose["services"]["postgres"]
    databases = postgres["environment"]["SERVICE_DATABASES"].split()
    assert sorted(databases) == sorted(s.name for s in SERVICES)
    for name in databases:
        assert f"DB_PASSWORD_{name.upper()}" in postgres["environment"]
    assert "./postgres/init-databases.sh:/docker-entrypoint-initdb.d/10-databases.sh:ro" in postgres["volumes"]


def test_prometheus_scrapes_every_service_on_its_port() -> None:
    config = load_yaml("prometheus/prometheus.yml")
    jobs = {job["job_name"]: job for job in config["scrape_configs"]}
    for service in RUNNABLE:
        assert service.name in jobs, f"prometheus.yml has no job {service.name}"
        if service.settings_class is not None:
            sd = jobs[service.name]["dns_sd_configs"][0]
            assert sd["names"] == [service.name] and sd["port"] == service.port
    assert config["rule_files"] == ["/etc/prometheus/alerts.yml"]
