"""Personal data at rest: authenticated encryption for values, a keyed hash (blind index) for lookups.

- `PiiCipher` seals a value with AES-256-GCM under a random 96-bit nonce. The field name is bound in
  as associated data, so a ciphertext copied from the phone column into the ID-number column does not
  decrypt. A one-byte key id leads every ciphertext so keys can be rotated: old rows keep decrypting
  under the retired key while new rows use the current one.
- `KeyRing` is what settings give for one purpose: the current key (`…_KEY`, id `…_KEY_ID`, default 1)
  and the other keys still accepted for opening (`…_RETIRED_KEYS="1:<base64>,3:<base64>"`) — keys
  being retired, or a new key that openers learn before the sealers switch to it.
- `BlindIndex` is HMAC-SHA256 under a separate key. Equal inputs give equal digests, so an exact
  search (证件号, 手机号) or an upsert by ID number is an index lookup, while the digest alone reveals
  nothing without the key. The purpose is mixed in so the same digits as a phone and as an ID number
  never share a digest.

Keys come from settings as base64 (urlsafe or standard) of 32 random bytes; `new_key_text()` makes one.
Settings are parsed when a process starts (`KeyRing.from_settings`), never at import, and a bad ring
stops it with a `PiiKeyError` naming the setting (never the key).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

KEY_BYTES: Final = 32
MIN_KEY_ID: Final = 0
MAX_KEY_ID: Final = 255
NONCE_BYTES: Final = 12
_KEY_ID_BYTES: Final = 1


class PiiKeyError(ValueError):
    """A key in settings is not base64 of 32 bytes."""


class PiiDecryptError(ValueError):
    """A ciphertext is damaged, belongs to another field, or was sealed under an unknown key."""


def key_from_text(text: str) -> bytes:
    """Decode a key given in settings (base64 or base64url, padding optional)."""
    cleaned = text.strip()
    padded = cleaned + "=" * (-len(cleaned) % 4)
    try:
        key = base64.urlsafe_b64decode(padded.replace("+", "-").replace("/", "_"))
    except (binascii.Error, ValueError):
        raise PiiKeyError("key is not base64") from None
    if len(key) != KEY_BYTES:
        raise PiiKeyError(f"key must be {KEY_BYTES} bytes, got {len(key)}")
    return key


def new_key_text() -> str:
    """A fresh random key in the text form settings take."""
    return base64.urlsafe_b64encode(os.urandom(KEY_BYTES)).decode().rstrip("=")


def _key_id(value: int | str, setting: str) -> int:
    try:
        key_id = int(value)
    except ValueError:
        raise PiiKeyError(f"{setting}: key id {value!r} is not a number") from None
    if not MIN_KEY_ID <= key_id <= MAX_KEY_ID:
        raise PiiKeyError(f"{setting}: key id {key_id} is outside {MIN_KEY_ID}..{MAX_KEY_ID}")
    return key_id


def key_from_setting(text: str, setting: str) -> bytes:
    """`key_from_text`, its error naming the setting."""
    try:
        return key_from_text(text)
    except PiiKeyError as e:
        raise PiiKeyError(f"{setting}: {e}") from None


def parse_retired_keys(text: str, *, setting: str = "RETIRED_KEYS") -> dict[int, bytes]:
    """`"1:<base64>, 3:<base64>"` → {1: key, 3: key}; empty text → no keys. Errors name the entry by
    its position, never by its content."""
    keys: dict[int, bytes] = {}
    entries = [e.strip() for e in text.split(",")] if text.strip() else []
    for position, entry in enumerate(entries, start=1):
        key_id, colon, key_text = entry.partition(":")
        if not colon or not key_id.strip() or not key_text.strip():
            raise PiiKeyError(f"{setting}: entry {position} is not written id:key")
        where = f"{setting} entry {position}"
        number = _key_id(key_id.strip(), where)
        if number in keys:
            raise PiiKeyError(f"{setting}: key id {number} is given twice")
        keys[number] = key_from_setting(key_text, where)
    return keys


@dataclass(frozen=True)
class KeyRing:
    """One purpose's keys: new ciphertexts under `current`, any id in `keys` opened."""

    current: int
    keys: Mapping[int, bytes] = field(repr=False)

    def __post_init__(self) -> None:
        if self.current not in self.keys:
            raise PiiKeyError(f"current key id {self.current} has no key")
        for key_id, key in self.keys.items():
            if not MIN_KEY_ID <= key_id <= MAX_KEY_ID:
                raise PiiKeyError(f"key ids are {MIN_KEY_ID}..{MAX_KEY_ID}")
            if len(key) != KEY_BYTES:
                raise PiiKeyError(f"key {key_id} must be {KEY_BYTES} bytes")

    @classmethod
    def single(cls, key: bytes, key_id: int = 1) -> KeyRing:
        return cls(key_id, {key_id: key})

    @classmethod
    def from_settings(cls, name: str, key: str, key_id: int | str = 1, retired: str = "") -> KeyRing:
        """The ring of settings `<name>_KEY`, `<name>_KEY_ID` and `<name>_RETIRED_KEYS` (e.g. name
        `MEMBERS_PII`). The current id may also appear among the retired ones with the same key (a
        config copied forward), never with another."""
        current = _key_id(key_id, f"{name}_KEY_ID")
        current_key = key_from_setting(key, f"{name}_KEY")
        keys = parse_retired_keys(retired, setting=f"{name}_RETIRED_KEYS")
        if keys.get(current, current_key) != current_key:
            raise PiiKeyError(f"{name}_RETIRED_KEYS: key id {current} is the current id with another key")
        return cls(current, {**keys, current: current_key})

    @property
    def retired(self) -> tuple[int, ...]:
        return tuple(sorted(k for k in self.keys if k != self.current))


class PiiCipher:
    """AES-256-GCM with key rotation: encrypts under `current`, decrypts under any known key id."""

    def __init__(self, keys: Mapping[int, bytes], current: int) -> None:
        ring = KeyRing(current, keys)  # checks ids and key lengths
        self._aeads = {key_id: AESGCM(key) for key_id, key in ring.keys.items()}
        self._current = current

    @classmethod
    def single(cls, key: bytes) -> PiiCipher:
        return cls({1: key}, current=1)

    @classmethod
    def from_ring(cls, ring: KeyRing) -> PiiCipher:
        return cls(ring.keys, ring.current)

    @property
    def current_id(self) -> int:
        return self._current

    @staticmethod
    def key_id(blob: bytes) -> int | None:
        """The id of the key a ciphertext was sealed under (None: too short to be one)."""
        return blob[0] if len(blob) >= _KEY_ID_BYTES + NONCE_BYTES + 16 else None

    def reencrypt(self, blob: bytes, *, field: str) -> bytes:
        """The same value under the current key (a new nonce even if it already was)."""
        return self.encrypt(self.decrypt(blob, field=field), field=field)

    def encrypt(self, plain: str, *, field: str) -> bytes:
        """key id (1 byte) ‖ nonce (12) ‖ ciphertext+tag; `field` must be given again to decrypt."""
        nonce = os.urandom(NONCE_BYTES)
        sealed = self._aeads[self._current].encrypt(nonce, plain.encode(), field.encode())
        return bytes((self._current,)) + nonce + sealed

    def decrypt(self, blob: bytes, *, field: str) -> str:
        if len(blob) < _KEY_ID_BYTES + NONCE_BYTES + 16:
            raise PiiDecryptError("ciphertext too short")
        aead = self._aeads.get(blob[0])
        if aead is None:
            raise PiiDecryptError(f"unknown key id {blob[0]}")
        nonce, sealed = blob[1 : 1 + NONCE_BYTES], blob[1 + NONCE_BYTES :]
        try:
            return aead.decrypt(nonce, sealed, field.encode()).decode()
        except InvalidTag:
            raise PiiDecryptError("ciphertext does not authenticate") from None


class BlindIndex:
    """HMAC-SHA256 digests for equality lookups of encrypted values."""

    def __init__(self, key: bytes) -> None:
        if len(key) != KEY_BYTES:
            raise PiiKeyError(f"blind-index key must be {KEY_BYTES} bytes")
        self._base = hmac.new(key, digestmod=hashlib.sha256)

    def digest(self, value: str, *, purpose: str) -> bytes:
        # Copying a keyed HMAC skips re-deriving the key pads: this runs for every row of an import.
        mac = self._base.copy()
        mac.update(f"{purpose}\x00{value}".encode())
        return mac.digest()


class PartnerSeal:
    """ID numbers sealed for the outside systems (bank, social security) as text that travels in events.

    Members seals with the partner key; cards and enrollment pass the text on without the key; the
    adapters (and cards, for personal applications it seals itself) open it. A separate key from the
    at-rest one, so holding event payloads never opens the members database.
    """

    FIELD: Final = "partner.id_number"

    def __init__(self, keys: bytes | KeyRing) -> None:
        """One key (id 1), or a ring: seals under its current key, opens under any of its keys, so
        that openers can learn a new key before sealers use it (docs/operations.md, "Rotating keys")."""
        ring = keys if isinstance(keys, KeyRing) else KeyRing.single(keys)
        self._cipher = PiiCipher.from_ring(ring)

    @property
    def current_id(self) -> int:
        return self._cipher.current_id

    def seal(self, id_number: str) -> str:
        return base64.b64encode(self._cipher.encrypt(id_number, field=self.FIELD)).decode()

    def open(self, sealed: str) -> str:
        return self._cipher.decrypt(self._blob(sealed), field=self.FIELD)

    @classmethod
    def key_id(cls, sealed: str) -> int | None:
        """The id of the key a sealed text was made under (None: not a sealed text)."""
        try:
            return PiiCipher.key_id(cls._blob(sealed))
        except PiiDecryptError:
            return None

    def reseal(self, sealed: str) -> str:
        """The same ID number sealed under the current key."""
        return self.seal(self.open(sealed))

    @staticmethod
    def _blob(sealed: str) -> bytes:
        try:
            return base64.b64decode(sealed, validate=True)
        except (binascii.Error, ValueError):
            raise PiiDecryptError("sealed ID number is not base64") from None
