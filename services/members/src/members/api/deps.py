"""What the routes take from the app: the vault, the job services, the clock."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from runtime.tokens import Tier, require

from ..service.compares import Comparer
from ..service.imports import Importer
from ..service.vault import Vault

# Who may change members (the gateway checks roles too; this is the second lock).
MANAGERS = require(Tier.CITY, Tier.DISTRICT, Tier.SECONDARY, Tier.GRASSROOTS, Tier.ADMIN)


def _vault(request: Request) -> Vault:
    return request.app.state.vault  # type: ignore[no-any-return]


def _importer(request: Request) -> Importer:
    return request.app.state.importer  # type: ignore[no-any-return]


def _comparer(request: Request) -> Comparer:
    return request.app.state.comparer  # type: ignore[no-any-return]


VaultDep = Annotated[Vault, Depends(_vault)]
ImporterDep = Annotated[Importer, Depends(_importer)]
ComparerDep = Annotated[Comparer, Depends(_comparer)]
