from __future__ import annotations

import base64

import pytest
from hypothesis import given
from hypothesis import strategies as st

from runtime.pii import (
    BlindIndex,
    PiiCipher,
    PiiDecryptError,
    PiiKeyError,
    key_from_text,
    new_key_text,
)

KEY = bytes(range(32))
OTHER = bytes(range(1, 33))


@given(st.text())
def test_round_trip_any_text(plain: str) -> None:
    cipher = PiiCipher.single(KEY)
    assert cipher.decrypt(cipher.encrypt(plain, field="id_number"), field="id_number") == plain


def test_same_value_encrypts_differently_each_time() -> None:
    cipher = PiiCipher.single(KEY)
    a = cipher.encrypt("310104199001010012", field="id_number")
    b = cipher.encrypt("310104199001010012", field="id_number")
    assert a != b
    assert b"310104199001010012" not in a


def test_a_ciphertext_moved_to_another_field_does_not_decrypt() -> None:
    cipher = PiiCipher.single(KEY)
    sealed = cipher.encrypt("13900000000", field="phone")
    with pytest.raises(PiiDecryptError):
        cipher.decrypt(sealed, field="id_number")


def test_tampering_and_truncation_are_detected() -> None:
    cipher = PiiCipher.single(KEY)
    sealed = bytearray(cipher.encrypt("13900000000", field="phone"))
    sealed[-1] ^= 1
    with pytest.raises(PiiDecryptError, match="authenticate"):
        cipher.decrypt(bytes(sealed), field="phone")
    with pytest.raises(PiiDecryptError, match="short"):
        cipher.decrypt(b"\x01abc", field="phone")


def test_another_key_cannot_decrypt() -> None:
    sealed = PiiCipher.single(KEY).encrypt("x", field="f")
    with pytest.raises(PiiDecryptError):
        PiiCipher.single(OTHER).decrypt(sealed, field="f")


def test_rotation_keeps_old_rows_readable_and_writes_with_the_new_key() -> None:
    old = PiiCipher({1: KEY}, current=1).encrypt("旧", field="f")
    rotated = PiiCipher({1: KEY, 2: OTHER}, current=2)
    assert rotated.decrypt(old, field="f") == "旧"
    new = rotated.encrypt("新", field="f")
    assert new[0] == 2
    with pytest.raises(PiiDecryptError, match="unknown key id 2"):
        PiiCipher.single(KEY).decrypt(new, field="f")


def test_blind_index_is_deterministic_keyed_and_purpose_bound() -> None:
    index = BlindIndex(KEY)
    digest = index.digest("13900000000", purpose="phone")
    assert digest == index.digest("13900000000", purpose="phone")
    assert len(digest) == 32
    assert digest != index.digest("13900000000", purpose="id_number")
    assert digest != BlindIndex(OTHER).digest("13900000000", purpose="phone")
    assert digest != index.digest("13900000001", purpose="phone")


def test_keys_from_settings_text() -> None:
    text = new_key_text()
    assert len(key_from_text(text)) == 32
    assert key_from_text(base64.b64encode(KEY).decode()) == KEY  # standard alphabet with padding
    with pytest.raises(PiiKeyError, match="32 bytes"):
        key_from_text(base64.b64encode(b"short").decode())
    with pytest.raises(PiiKeyError):
        key_from_text("not base64 at all!!")
    with pytest.raises(PiiKeyError):
        PiiCipher({1: KEY}, current=2)
    with pytest.raises(PiiKeyError):
        BlindIndex(b"short")
