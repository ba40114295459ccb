"""Roster people's ID numbers and phones at rest: sealed (AES-GCM, the service's PII key), a blind index
of the ID number (the once-per-year rule, the suggested roster, upserts), masked copies for lists.
Social security gets the number sealed under the partner key; the member registry's sealed numbers
are opened with it to put members on a roster."""

from __future__ import annotations

from dataclasses import dataclass

from runtime.pii import BlindIndex, PartnerSeal, PiiCipher

ID_FIELD = "ma_row.id_number"
PHONE_FIELD = "ma_row.phone"
HANDLER_PHONE_FIELD = "ma_batch.handler_phone"
ID_PURPOSE = "ma.id_number"


@dataclass(frozen=True)
class RosterVault:
    cipher: PiiCipher
    index: BlindIndex
    partner: PartnerSeal

    def digest(self, id_number: str) -> bytes:
        return self.index.digest(id_number.strip().upper(), purpose=ID_PURPOSE)

    def seal_id(self, id_number: str) -> bytes:
        return self.cipher.encrypt(id_number, field=ID_FIELD)

    def open_id(self, sealed: bytes) -> str:
        return self.cipher.decrypt(sealed, field=ID_FIELD)

    def seal_phone(self, phone: str) -> bytes:
        return self.cipher.encrypt(phone, field=PHONE_FIELD)

    def seal_handler_phone(self, phone: str) -> bytes:
        return self.cipher.encrypt(phone, field=HANDLER_PHONE_FIELD)

    def open_handler_phone(self, sealed: bytes | None) -> str:
        return self.cipher.decrypt(sealed, field=HANDLER_PHONE_FIELD) if sealed else ""

    def for_partner(self, id_number: str) -> str:
        """The number as socialsec.check.requested carries it."""
        return self.partner.seal(id_number)

    def from_partner(self, sealed: str) -> str:
        """A member registry's number (members seals it for the partners)."""
        return self.partner.open(sealed)
