"""What the deploy/ checks compare against, read from the repository itself, never a hand list:
the deployable packages (every services/* and adapters/* with a pyproject), their settings classes,
the environment each one needs, and the files under deploy/ parsed.
"""

from __future__ import annotations

import importlib
import inspect
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml
from pydantic import AliasChoices

from runtime.settings import ServiceSettings

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"
_VARIABLE = re.compile(r"\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:?[-?])(?P<arg>[^}]*))?\}")


@dataclass(frozen=True)
class Deployable:
    """A service or adapter of the workspace; its name is its package, image, compose service and job."""

    name: str
    directory: Path

    @property
    def runnable(self) -> bool:
        """Has an app factory yet (services under construction have only their package)."""
        return (self.directory / "src" / self.name / "main.py").exists()

    @property
    def dockerfile(self) -> Path:
        return DEPLOY / "docker" / f"{self.name}.Dockerfile"

    @cached_property
    def settings_class(self) -> type[ServiceSettings] | None:
        if not (self.directory / "src" / self.name / "settings.py").exists():
            return None
        module = importlib.import_module(f"{self.name}.settings")
        found = [
            cls
            for _, cls in inspect.getmembers(module, inspect.isclass)
            if issubclass(cls, ServiceSettings) and cls is not ServiceSettings and cls.__module__ == module.__name__
        ]
        assert len(found) == 1, f"{self.name}.settings should define one settings class, found {found}"
        return found[0]

    @property
    def port(self) -> int:
        cls = self.settings_class
        assert cls is not None, f"{self.name} has no settings yet"
        return int(cls.model_fields["port"].default)

    def uses(self, text: str) -> bool:
        """Whether the package's own source mentions ``text`` (e.g. a settings field it reads)."""
        return any(text in p.read_text(encoding="utf-8") for p in (self.directory / "src").rglob("*.py"))


def deployables() -> list[Deployable]:
    found = [
        Deployable(p.parent.name, p.parent)
        for group in ("services", "adapters")
        for p in sorted((REPO / group).glob("*/pyproject.toml"))
    ]
    return sorted(found, key=lambda d: d.name)


def env_name(cls: type[ServiceSettings], field: str) -> str:
    """The environment variable that sets ``field`` of ``cls``."""
    alias = cls.model_fields[field].validation_alias
    if isinstance(alias, str):
        return alias
    if isinstance(alias, AliasChoices):
        return str(alias.choices[0])
    return f"{cls.model_config.get('env_prefix', '')}{field}".upper()


def required_fields(service: Deployable) -> list[str]:
    """Settings a deployment must set: where to find its database, broker and peers, and every key
    or secret it reads (a default there is for local development only)."""
    cls = service.settings_class
    assert cls is not None
    own = set(cls.__annotations__)
    wanted = {"database_url", "kafka_bootstrap_servers", "kafka_idempotent", "internal_token_secret"}
    wanted |= {f for f in own if f.endswith(("_key", "_secret", "_url"))}
    # Shared keys on the base class count only for the services whose code reads them: the field, or
    # the settings method that builds its key ring (`partner_seal_key` → `settings.partner_seal()`).
    wanted |= {
        f
        for f in ServiceSettings.model_fields
        if f.endswith("_key") and (service.uses(f) or service.uses(f"{f.removesuffix('_key')}()"))
    }
    return sorted(wanted)


# --- compose ----------------------------------------------------------------------------------------


def load_yaml(relative: str) -> Any:
    return yaml.safe_load((DEPLOY / relative).read_text(encoding="utf-8"))


def load_yaml_documents(path: Path) -> list[Any]:
    return [doc for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")) if doc is not None]


def dotenv(text: str) -> dict[str, str]:
    values = {}
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            key, _, value = line.partition("=")
            values[key.strip()] = value.strip()
    return values


def compose_variables(value: Any) -> list[tuple[str, str | None, str]]:
    """``(name, operator, argument)`` of every ``${…}`` in a compose value, nested values included."""
    if isinstance(value, dict):
        return [v for item in value.values() for v in compose_variables(item)]
    if isinstance(value, list):
        return [v for item in value for v in compose_variables(item)]
    if isinstance(value, str):
        return [(m.group("name"), m.group("op"), m.group("arg") or "") for m in _VARIABLE.finditer(value)]
    return []


def interpolate(value: str, env: dict[str, str]) -> str:
    """Compose's substitution: ``${X}``, ``${X:-default}``, ``${X:?error}`` (``$$`` is a literal ``$``)."""

    def replace(match: re.Match[str]) -> str:
        name, op, arg = match.group("name"), match.group("op"), match.group("arg") or ""
        current = env.get(name, "")
        if op in (":-", "-") and not current:
            return arg
        if op in (":?", "?") and not current:
            raise KeyError(f"{name}: {arg}")
        return current

    return _VARIABLE.sub(replace, value).replace("$$", "$")


# --- Dockerfiles ------------------------------------------------------------------------------------


def dockerfile_instructions(path: Path) -> list[tuple[str, str]]:
    """``(INSTRUCTION, arguments)`` with line continuations joined and comments dropped."""
    joined, current = [], ""
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not current and (not line or line.startswith("#")):
            continue
        if line.endswith("\\"):
            current += line[:-1] + " "
            continue
        joined.append(current + line)
        current = ""
    return [(text.split(None, 1)[0].upper(), text.split(None, 1)[1] if " " in text else "") for text in joined]
