"""Where ID numbers and phones are sealed, indexed and masked: the one place that holds the keys.

Besides the at-rest key, the partner key seals ID numbers for the outside systems (bank, social
security): that text travels in every member snapshot (`id_sealed`) and only the adapters open it."""

from __future__ import annotations

from dataclasses import dataclass

from runtime.identity import mask_id_number, mask_phone
from runtime.pii import BlindIndex, KeyRing, PartnerSeal, PiiCipher, key_from_setting

from ..domain.documents import normalise_number
from ..settings import MembersSettings

ID_NUMBER, PHONE, ROSTER_ROW = "member.id_number", "member.phone", "compare.row"


@dataclass(frozen=True)
class Sealed:
    sealed: bytes
    digest: bytes
    masked: str


@dataclass(frozen=True)
class Keys:
    """The vault's keys as settings give them (text crosses to the row checker's process; ciphers do not)."""

    pii: str
    blind_index: str
    partner_seal: str
    pii_key_id: int = 1
    pii_retired: str = ""
    partner_seal_key_id: int = 1
    partner_seal_retired: str = ""

    @classmethod
    def from_settings(cls, settings: MembersSettings) -> Keys:
        return cls(
            settings.pii_key, settings.blind_index_key, settings.partner_seal_key,
            settings.pii_key_id, settings.pii_retired_keys,
            settings.partner_seal_key_id, settings.partner_seal_retired_keys,
        )  # fmt: skip


class Vault:
    def __init__(self, cipher: PiiCipher, index: BlindIndex, partner: PartnerSeal) -> None:
        self.cipher, self.index, self.partner = cipher, index, partner

    @classmethod
    def from_settings(cls, settings: MembersSettings) -> Vault:
        return cls.from_keys(Keys.from_settings(settings))

    @classmethod
    def from_keys(cls, keys: Keys) -> Vault:
        """Raises PiiKeyError naming the setting that is wrong (when the service starts)."""
        return cls(
            PiiCipher.from_ring(KeyRing.from_settings("MEMBERS_PII", keys.pii, keys.pii_key_id, keys.pii_retired)),
            BlindIndex(key_from_setting(keys.blind_index, "MEMBERS_BLIND_INDEX_KEY")),
            PartnerSeal(
                KeyRing.from_settings(
                    "PARTNER_SEAL", keys.partner_seal, keys.partner_seal_key_id, keys.partner_seal_retired
                )
            ),
        )

    def with_index(self, index: BlindIndex) -> Vault:
        """The same ciphers with another blind-index key (re-indexing)."""
        return Vault(self.cipher, index, self.partner)

    def id_digest(self, number: str) -> bytes:
        return self.index.digest(normalise_number(number), purpose=ID_NUMBER)

    def phone_digest(self, phone: str) -> bytes:
        return self.index.digest(phone.strip(), purpose=PHONE)

    def seal_id(self, number: str) -> Sealed:
        return Sealed(self.cipher.encrypt(number, field=ID_NUMBER), self.id_digest(number), mask_id_number(number))

    def seal_phone(self, phone: str) -> Sealed:
        return Sealed(self.cipher.encrypt(phone, field=PHONE), self.phone_digest(phone), mask_phone(phone))

    def seal_id_number(self, number: str) -> bytes:
        return self.cipher.encrypt(number, field=ID_NUMBER)

    def seal_for_partners(self, number: str) -> str:
        """The ID number as it travels in events (`MemberSnapshot.id_sealed`)."""
        return self.partner.seal(number)

    def seal_phone_fields(self, phone: str) -> tuple[bytes, bytes, str]:
        cipher, index = self.cipher, self.index
        return cipher.encrypt(phone, field=PHONE), index.digest(phone, purpose=PHONE), mask_phone(phone)

    def open_id(self, sealed: bytes) -> str:
        return self.cipher.decrypt(sealed, field=ID_NUMBER)

    def open_phone(self, sealed: bytes) -> str:
        return self.cipher.decrypt(sealed, field=PHONE)

    def seal_text(self, text: str) -> bytes:
        return self.cipher.encrypt(text, field=ROSTER_ROW)

    def open_text(self, sealed: bytes) -> str:
        return self.cipher.decrypt(sealed, field=ROSTER_ROW)
