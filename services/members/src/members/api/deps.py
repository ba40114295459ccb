"""What the routes take from the app: the vault, the job services, the clock."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request, params

from runtime.tokens import Tier, require

from ..service.compares import Comparer
from ..service.imports import Importer
from ..service.vault import Vault


def _managers() -> params.Depends:
    dependency = require(Tier.CITY, Tier.DISTRICT, Tier.SECONDARY, Tier.GRASSROOTS, Tier.ADMIN)
    if not isinstance(dependency, params.Depends):  # runtime.tokens.require is declared as returning object
        raise TypeError("require() must give a route dependency")
    return dependency


# Who may change members (the gateway checks roles too; this is the second lock).
MANAGERS = _managers()


def _vault(request: Request) -> Vault:
    vault: Vault = request.app.state.vault
    return vault


def _importer(request: Request) -> Importer:
    importer: Importer = request.app.state.importer
    return importer


def _comparer(request: Request) -> Comparer:
    comparer: Comparer = request.app.state.comparer
    return comparer


VaultDep = Annotated[Vault, Depends(_vault)]
ImporterDep = Annotated[Importer, Depends(_importer)]
ComparerDep = Annotated[Comparer, Depends(_comparer)]
