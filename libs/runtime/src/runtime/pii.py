"""Personal data at rest: authenticated encryption for values, a keyed hash (blind index) for lookups.

- `PiiCipher` seals a value with AES-256-GCM under a random 96-bit nonce. The field name is bound in
  as associated data, so a ciphertext copied from the phone column into the ID-number column does not
  decrypt. A one-byte key id leads every ciphertext so keys can be rotated: old rows keep decrypting
  under the retired key while new rows use the current one.
- `BlindIndex` is HMAC-SHA256 under a separate key. Equal inputs give equal digests, so an exact
  search (证件号, 手机号) or an upsert by ID number is an index lookup, while the digest alone reveals
  nothing without the key. The purpose is mixed in so the same digits as a phone and as an ID number
  never share a digest.

Keys come from settings as base64 (urlsafe or standard) of 32 random bytes; `new_key_text()` makes one.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
from collections.abc import Mapping
from typing import Final

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

KEY_BYTES: Final = 32
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


class PiiCipher:
    """AES-256-GCM with key rotation: encrypts under `current`, decrypts under any known key id."""

    def __init__(self, keys: Mapping[int, bytes], current: int) -> None:
        if current not in keys:
            raise PiiKeyError(f"current key id {current} has no key")
        for key_id, key in keys.items():
            if not 0 <= key_id <= 255:
                raise PiiKeyError("key ids are 0..255")
            if len(key) != KEY_BYTES:
                raise PiiKeyError(f"key {key_id} must be {KEY_BYTES} bytes")
        self._aeads = {key_id: AESGCM(key) for key_id, key in keys.items()}
        self._current = current

    @classmethod
    def single(cls, key: bytes) -> PiiCipher:
        return cls({1: key}, current=1)

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

    def __init__(self, key: bytes) -> None:
        self._cipher = PiiCipher.single(key)

    def seal(self, id_number: str) -> str:
        return base64.b64encode(self._cipher.encrypt(id_number, field=self.FIELD)).decode()

    def open(self, sealed: str) -> str:
        try:
            blob = base64.b64decode(sealed, validate=True)
        except (binascii.Error, ValueError):
            raise PiiDecryptError("sealed ID number is not base64") from None
        return self._cipher.decrypt(blob, field=self.FIELD)
