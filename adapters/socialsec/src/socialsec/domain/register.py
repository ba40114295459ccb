"""The simulated register: seeded people and units, scenario numbers (scenarios.py) answered from
their digits, and pinned facts (the overrides file) on top of both, so tests and demos can fix a
person's or a unit's facts whatever the seed says."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from typing import Any

from .people import PersonFacts, RegisterRates, seeded_person
from .scenarios import scenario_person
from .units import UnitInsured, unit_insured


class Register:
    def __init__(
        self,
        seed: str,
        rates: RegisterRates,
        people: Mapping[str, Mapping[str, Any]] | None = None,
        units: Mapping[str, UnitInsured] | None = None,
    ) -> None:
        """`people`: ID number -> facts to pin (any PersonFacts field); `units`: USCC -> its figures."""
        self.seed, self.rates = seed, rates
        self.people = {number.strip().upper(): dict(facts) for number, facts in (people or {}).items()}
        self.units = dict(units or {})

    def person(self, id_type: str, id_number: str, name: str, today: date) -> PersonFacts:
        pinned = self.people.get(id_number.strip().upper())
        scenario = scenario_person(id_type, id_number, name, today)
        # A pinned person is on the register unless the pin says otherwise.
        if scenario is not None and (scenario.found or pinned is None):
            facts = scenario
        else:
            facts = seeded_person(
                self.seed, self.rates, id_type, id_number, name, today, always_found=pinned is not None
            )
        return replace(facts, **pinned) if pinned else facts

    def unit(self, uscc: str) -> UnitInsured:
        return self.units.get(uscc) or unit_insured(self.seed, uscc)
