"""People's ID numbers and phones at rest (sealed under the service's PII key), their blind indexes (the
once-per-year rule; "手机号不能重复" within a roster) and the partner seal social security and the bank
receive. The same keys as the mutual-aid roster (`RosterVault`), under fields and purposes of their own."""

from __future__ import annotations

from dataclasses import dataclass

from runtime.pii import BlindIndex, PartnerSeal, PiiCipher

from ..mutual_aid.vault import RosterVault

ID_FIELD = "rt_person.id_number"
PHONE_FIELD = "rt_person.phone"
BATCH_HANDLER_PHONE = "rt_batch.handler_phone"
UNIT_HANDLER_PHONE = "rt_unit.handler_phone"
NAME_CHANGE_PHONE = "rt_name_change.handler_phone"
ID_PURPOSE = "rt.id_number"
PHONE_PURPOSE = "rt.phone"


@dataclass(frozen=True)
class RetireeVault:
    cipher: PiiCipher
    index: BlindIndex
    partner: PartnerSeal

    @classmethod
    def of(cls, roster: RosterVault) -> RetireeVault:
        return cls(roster.cipher, roster.index, roster.partner)

    def id_digest(self, id_number: str) -> bytes:
        return self.index.digest(id_number.strip().upper(), purpose=ID_PURPOSE)

    def phone_digest(self, phone: str) -> bytes:
        return self.index.digest(phone.strip(), purpose=PHONE_PURPOSE)

    def seal(self, value: str, field: str) -> bytes:
        return self.cipher.encrypt(value, field=field)

    def open(self, sealed: bytes | None, field: str) -> str:
        return self.cipher.decrypt(sealed, field=field) if sealed else ""

    def open_id(self, sealed: bytes) -> str:
        return self.cipher.decrypt(sealed, field=ID_FIELD)

    def open_phone(self, sealed: bytes) -> str:
        return self.cipher.decrypt(sealed, field=PHONE_FIELD)

    def for_partner(self, id_number: str) -> str:
        """The number as socialsec.check.requested and retiree.withholding.requested carry it."""
        return self.partner.seal(id_number)
