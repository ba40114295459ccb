"""Create the platform's topics from deploy/topics.yaml; safe to run again at any time.

    python create_topics.py [--file topics.yaml] [--bootstrap kafka-1:9092] [--check]

A missing topic is created with its partitions, replication factor and config; an existing topic
with fewer partitions than the file asks for is grown; nothing is ever deleted or shrunk. With
``--check`` nothing changes: the exit status says whether every topic exists with its partitions
(used by the services' init containers on Kubernetes, so no service creates a topic on its own with
the broker defaults).

Settings from the environment: KAFKA_BOOTSTRAP_SERVERS, TOPICS_FILE, TOPICS_MAX_REPLICATION_FACTOR
(lowers replication factor and min.insync.replicas on a cluster smaller than the file assumes),
TOPICS_WAIT_SECONDS (how long to wait for the brokers, or with --check for the topics).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

DLQ_SUFFIX = ".dlq"


@dataclass(frozen=True)
class TopicSpec:
    name: str
    partitions: int
    replication_factor: int
    config: dict[str, str] = field(default_factory=dict)


@dataclass
class Plan:
    create: list[TopicSpec] = field(default_factory=list)
    grow: dict[str, int] = field(default_factory=dict)  # topic -> new partition count
    fewer_replicas: dict[str, int] = field(default_factory=dict)  # existing topic -> its replication factor

    @property
    def complete(self) -> bool:
        """Nothing to create or grow: what --check waits for."""
        return not self.create and not self.grow


def load_specs(text: str, max_replication_factor: int | None = None) -> list[TopicSpec]:
    """The topics of a topics.yaml document, defaults merged, capped to the cluster's size."""
    document = yaml.safe_load(text)
    defaults: Mapping[str, Any] = document.get("defaults") or {}
    dlq_defaults: Mapping[str, Any] = document.get("dlq_defaults") or {}
    specs = []
    for name, entry in (document.get("topics") or {}).items():
        merged = _merge(defaults, dlq_defaults if name.endswith(DLQ_SUFFIX) else {}, entry or {})
        specs.append(_spec(name, merged, max_replication_factor))
    return specs


def _merge(*layers: Mapping[str, Any]) -> dict[str, Any]:
    merged: dict[str, Any] = {"config": {}}
    for layer in layers:
        merged |= {k: v for k, v in layer.items() if k != "config"}
        merged["config"] |= {str(k): str(v) for k, v in (layer.get("config") or {}).items()}
    return merged


def _spec(name: str, merged: dict[str, Any], max_replication_factor: int | None) -> TopicSpec:
    if "partitions" not in merged or "replication_factor" not in merged:
        raise ValueError(f"{name}: partitions and replication_factor are required")
    replication = int(merged["replication_factor"])
    if max_replication_factor is not None:
        replication = min(replication, max_replication_factor)
    config = dict(merged["config"])
    if "min.insync.replicas" in config:
        # More in-sync replicas than replicas would refuse every acks=all write.
        config["min.insync.replicas"] = str(max(1, min(int(config["min.insync.replicas"]), replication)))
    partitions = int(merged["partitions"])
    if partitions < 1 or replication < 1:
        raise ValueError(f"{name}: partitions and replication_factor must be at least 1")
    return TopicSpec(name, partitions, replication, config)


def plan(specs: list[TopicSpec], existing: Mapping[str, tuple[int, int]]) -> Plan:
    """What to do given the cluster's ``{topic: (partitions, replication factor)}``."""
    result = Plan()
    for spec in specs:
        if spec.name not in existing:
            result.create.append(spec)
            continue
        partitions, replicas = existing[spec.name]
        if partitions < spec.partitions:
            result.grow[spec.name] = spec.partitions
        if replicas < spec.replication_factor:
            result.fewer_replicas[spec.name] = replicas
    return result


async def describe(admin: Any, names: list[str]) -> dict[str, tuple[int, int]]:
    present = set(await admin.list_topics())
    wanted = [n for n in names if n in present]
    described = await admin.describe_topics(wanted) if wanted else []
    return {
        t["topic"]: (len(t["partitions"]), min((len(p["replicas"]) for p in t["partitions"]), default=0))
        for t in described
        if t.get("error_code", 0) == 0
    }


async def apply(admin: Any, specs: list[TopicSpec]) -> Plan:
    from aiokafka.admin import NewPartitions, NewTopic

    todo = plan(specs, await describe(admin, [s.name for s in specs]))
    if todo.create:
        await admin.create_topics(
            [NewTopic(s.name, s.partitions, s.replication_factor, topic_configs=s.config) for s in todo.create]
        )
    if todo.grow:
        await admin.create_partitions({name: NewPartitions(total) for name, total in todo.grow.items()})
    return todo


async def connect(bootstrap: str, wait_seconds: float) -> Any:
    """An admin client, retrying while the brokers come up."""
    from aiokafka.admin import AIOKafkaAdminClient

    deadline = time.monotonic() + wait_seconds
    while True:
        admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, client_id="topics-job")
        try:
            await admin.start()
            return admin
        except Exception as exc:
            await admin.close()
            if time.monotonic() > deadline:
                raise SystemExit(f"brokers at {bootstrap} did not answer within {wait_seconds:.0f} s: {exc}") from exc
            await asyncio.sleep(2)


async def run(args: argparse.Namespace, specs: list[TopicSpec]) -> int:
    admin = await connect(args.bootstrap, args.wait)
    try:
        return await (check(admin, specs, args.wait) if args.check else create(admin, specs))
    finally:
        await admin.close()


async def create(admin: Any, specs: list[TopicSpec]) -> int:
    done = await apply(admin, specs)
    for spec in done.create:
        print(f"created {spec.name}: {spec.partitions} partitions × {spec.replication_factor} replicas {spec.config}")
    for name, total in done.grow.items():
        print(f"grew {name} to {total} partitions")
    for name, replicas in done.fewer_replicas.items():
        # Changing replication needs a reassignment (kafka-reassign-partitions.sh): an operator's call.
        print(f"WARNING {name} has {replicas} replicas, fewer than topics.yaml asks for", file=sys.stderr)
    print(f"{len(specs)} topics in place ({len(done.create)} created, {len(done.grow)} grown)")
    return 0


async def check(admin: Any, specs: list[TopicSpec], wait_seconds: float) -> int:
    deadline = time.monotonic() + wait_seconds
    while True:
        todo = plan(specs, await describe(admin, [s.name for s in specs]))
        if todo.complete:
            print(f"{len(specs)} topics in place")
            return 0
        if time.monotonic() > deadline:
            missing = [s.name for s in todo.create] + list(todo.grow)
            print(f"topics missing or short of partitions: {', '.join(missing)}", file=sys.stderr)
            return 1
        await asyncio.sleep(2)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    env = os.environ
    parser = argparse.ArgumentParser(description="Create the platform's Kafka topics from topics.yaml")
    parser.add_argument("--file", default=env.get("TOPICS_FILE", str(Path(__file__).with_name("topics.yaml"))))
    parser.add_argument("--bootstrap", default=env.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092"))
    cap = env.get("TOPICS_MAX_REPLICATION_FACTOR")
    parser.add_argument("--max-replication-factor", type=int, default=int(cap) if cap else None)
    parser.add_argument("--wait", type=float, default=float(env.get("TOPICS_WAIT_SECONDS", "120")))
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 unless every topic is in place")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    specs = load_specs(Path(args.file).read_text(encoding="utf-8"), args.max_replication_factor)
    return asyncio.run(run(args, specs))


if __name__ == "__main__":
    sys.exit(main())
