"""deploy/topics.yaml and the topic job: every topic of the contracts and its dead-letter twin, with
partitions and a replication factor; creation on a real (local) broker, idempotent, and the check
mode the Kubernetes init containers use."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest
import yaml

from contracts import topics
from localstack import Tansu
from tests.ops.deploy_model import DEPLOY


def _job() -> ModuleType:
    spec = importlib.util.spec_from_file_location("create_topics", DEPLOY / "topics" / "create_topics.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


JOB = _job()
TEXT = (DEPLOY / "topics.yaml").read_text(encoding="utf-8")


def test_every_contract_topic_and_its_dlq_is_declared() -> None:
    declared = {spec.name for spec in JOB.load_specs(TEXT)}
    assert declared == {*topics.ALL, *(topics.dlq(t) for t in topics.ALL)}


def test_each_topic_has_its_partitions_and_replication_factor() -> None:
    raw = yaml.safe_load(TEXT)["topics"]
    for name, entry in raw.items():
        assert entry["partitions"] >= 1 and entry["replication_factor"] == 3, name
    specs = {s.name: s for s in JOB.load_specs(TEXT)}
    assert specs["members.v1"].config["min.insync.replicas"] == "2"
    assert specs["members.v1"].config["retention.ms"] == "604800000"
    assert specs["members.v1.dlq"].config["retention.ms"] == "2592000000"  # dead letters wait longer


def test_a_single_broker_lowers_replicas_and_in_sync_minimum() -> None:
    for spec in JOB.load_specs(TEXT, max_replication_factor=1):
        assert spec.replication_factor == 1
        assert spec.config["min.insync.replicas"] == "1"


def test_missing_topic_settings_are_refused() -> None:
    with pytest.raises(ValueError, match="partitions and replication_factor are required"):
        JOB.load_specs("topics:\n  x.v1: {partitions: 3}\n")


def test_plan_creates_missing_grows_short_and_never_shrinks() -> None:
    specs = [JOB.TopicSpec("a.v1", 6, 3), JOB.TopicSpec("b.v1", 6, 3), JOB.TopicSpec("c.v1", 6, 3)]
    plan = JOB.plan(specs, {"b.v1": (3, 3), "c.v1": (12, 1)})
    assert [s.name for s in plan.create] == ["a.v1"]
    assert plan.grow == {"b.v1": 6}
    assert plan.fewer_replicas == {"c.v1": 1}  # reported, left to an operator
    assert not plan.complete
    assert JOB.plan(specs, {"a.v1": (6, 3), "b.v1": (6, 3), "c.v1": (12, 3)}).complete


def test_compose_and_kubernetes_run_the_same_job() -> None:
    dockerfile = (DEPLOY / "docker" / "topics.Dockerfile").read_text()
    assert "COPY deploy/topics/create_topics.py deploy/topics.yaml /app/" in dockerfile
    assert "TOPICS_FILE=/app/topics.yaml" in dockerfile
    job = yaml.safe_load((DEPLOY / "compose.yaml").read_text())["services"]["topics"]
    assert job["build"]["dockerfile"] == "deploy/docker/topics.Dockerfile"
    assert job["environment"]["TOPICS_MAX_REPLICATION_FACTOR"] == "${KAFKA_REPLICATION_FACTOR:-1}"


async def test_job_creates_the_topics_once_and_check_agrees(kafka: Tansu, tmp_path: Path) -> None:
    """On a real broker: the first run creates every topic, the second creates nothing, --check
    passes; a file naming a topic nobody created fails --check without waiting."""
    from aiokafka.admin import AIOKafkaAdminClient

    suffix = tmp_path.name[-8:].replace("-", "_")
    own = TEXT.replace(".v1", f".ops{suffix}")  # names of our own on the shared session broker
    specs = JOB.load_specs(own, max_replication_factor=1)
    admin = AIOKafkaAdminClient(bootstrap_servers=kafka.bootstrap)
    await admin.start()
    try:
        first = await JOB.apply(admin, specs)
        assert len(first.create) == len(specs)
        described = await JOB.describe(admin, [s.name for s in specs])
        assert described == {s.name: (s.partitions, 1) for s in specs}
        second = await JOB.apply(admin, specs)
        assert second.complete and not second.create
        assert await JOB.check(admin, specs, wait_seconds=0) == 0
        assert await JOB.check(admin, [JOB.TopicSpec(f"absent.ops{suffix}", 1, 1)], wait_seconds=0) == 1
    finally:
        await admin.close()
