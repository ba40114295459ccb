"""Key rings from settings: the current key and its id, retired keys still opened, and a bad ring named
by its setting when the process starts (never the key in the message)."""

from __future__ import annotations

import base64

import pytest

from runtime.pii import KeyRing, PartnerSeal, PiiCipher, PiiDecryptError, PiiKeyError, parse_retired_keys
from runtime.settings import ServiceSettings

OLD, NEW, THIRD = bytes(range(32)), bytes(range(1, 33)), bytes(range(2, 34))


def text(key: bytes) -> str:
    return base64.urlsafe_b64encode(key).decode().rstrip("=")


def test_a_single_key_deployment_is_a_ring_of_key_1() -> None:
    ring = KeyRing.from_settings("MEMBERS_PII", text(OLD))
    assert (ring.current, dict(ring.keys), ring.retired) == (1, {1: OLD}, ())
    # what such a deployment sealed before rings existed still opens, and new values lead with id 1
    before = PiiCipher.single(OLD).encrypt("13900000000", field="member.phone")
    cipher = PiiCipher.from_ring(ring)
    assert cipher.decrypt(before, field="member.phone") == "13900000000"
    assert cipher.encrypt("x", field="f")[0] == 1


def test_retired_keys_parse_with_spaces_standard_base64_and_no_entries() -> None:
    standard = base64.b64encode(THIRD).decode()  # with "=" padding and the standard alphabet
    assert parse_retired_keys(f" 1:{text(OLD)} , 3:{standard} ") == {1: OLD, 3: THIRD}
    assert parse_retired_keys("") == {} == parse_retired_keys("   ")


def test_a_rotated_ring_seals_under_the_new_id_and_opens_the_retired_ones() -> None:
    old_rows = [PiiCipher.single(OLD).encrypt(v, field="member.id_number") for v in ("310104199001010012", "甲")]
    ring = KeyRing.from_settings("MEMBERS_PII", text(NEW), 2, f"1:{text(OLD)}")
    cipher = PiiCipher.from_ring(ring)
    assert ring.retired == (1,)
    assert [cipher.decrypt(r, field="member.id_number") for r in old_rows] == ["310104199001010012", "甲"]
    moved = cipher.reencrypt(old_rows[0], field="member.id_number")
    assert (PiiCipher.key_id(old_rows[0]), PiiCipher.key_id(moved), cipher.current_id) == (1, 2, 2)
    assert cipher.decrypt(moved, field="member.id_number") == "310104199001010012"
    # once key 1 leaves the ring, what was not moved no longer opens
    with pytest.raises(PiiDecryptError, match="unknown key id 1"):
        PiiCipher.from_ring(KeyRing.from_settings("MEMBERS_PII", text(NEW), 2)).decrypt(
            old_rows[1], field="member.id_number"
        )


@pytest.mark.parametrize(
    ("key_id", "retired", "message"),
    [
        (1, "1", r"MEMBERS_PII_RETIRED_KEYS: entry 1 is not written id:key"),
        (1, f"2:{text(NEW)},:{text(THIRD)}", r"MEMBERS_PII_RETIRED_KEYS: entry 2 is not written id:key"),
        (1, f"x:{text(NEW)}", r"MEMBERS_PII_RETIRED_KEYS entry 1: key id 'x' is not a number"),
        (1, f"256:{text(NEW)}", r"MEMBERS_PII_RETIRED_KEYS entry 1: key id 256 is outside 0..255"),
        (1, f"2:{text(NEW)},2:{text(THIRD)}", r"MEMBERS_PII_RETIRED_KEYS: key id 2 is given twice"),
        (1, "2:c2hvcnQ", r"MEMBERS_PII_RETIRED_KEYS entry 1: key must be 32 bytes, got 5"),
        (1, "2:not base64!!", r"MEMBERS_PII_RETIRED_KEYS entry 1: key is not base64"),
        (1, f"1:{text(NEW)}", r"MEMBERS_PII_RETIRED_KEYS: key id 1 is the current id with another key"),
        (-1, "", r"MEMBERS_PII_KEY_ID: key id -1 is outside 0..255"),
    ],
)
def test_a_bad_ring_names_its_setting_and_never_the_key(key_id: int, retired: str, message: str) -> None:
    with pytest.raises(PiiKeyError, match=message) as caught:
        KeyRing.from_settings("MEMBERS_PII", text(OLD), key_id, retired)
    for key in (OLD, NEW, THIRD):
        assert text(key) not in str(caught.value)


def test_the_current_key_repeated_among_the_retired_ones_is_accepted() -> None:
    ring = KeyRing.from_settings("MEMBERS_PII", text(NEW), 2, f"1:{text(OLD)},2:{text(NEW)}")
    assert (ring.current, ring.retired) == (2, (1,))


def test_a_bad_current_key_names_its_setting() -> None:
    with pytest.raises(PiiKeyError, match=r"^MEMBERS_PII_KEY: key must be 32 bytes"):
        KeyRing.from_settings("MEMBERS_PII", base64.b64encode(b"short").decode())


def test_partner_seal_rolls_over_without_a_cut_over() -> None:
    """Openers learn the new key first (as retired), then sealers switch: no moment where a sealed text
    cannot be opened by whoever receives it."""
    sealer_before = PartnerSeal(KeyRing.from_settings("PARTNER_SEAL", text(OLD)))
    opener_learning = PartnerSeal(KeyRing.from_settings("PARTNER_SEAL", text(OLD), 1, f"2:{text(NEW)}"))
    sealer_after = PartnerSeal(KeyRing.from_settings("PARTNER_SEAL", text(NEW), 2, f"1:{text(OLD)}"))
    opener_after = PartnerSeal(KeyRing.from_settings("PARTNER_SEAL", text(NEW), 2))

    old_text, new_text = sealer_before.seal("310104199001010012"), sealer_after.seal("310104199001010012")
    assert (sealer_before.key_id(old_text), sealer_after.key_id(new_text)) == (1, 2)
    assert opener_learning.open(old_text) == opener_learning.open(new_text) == "310104199001010012"
    assert opener_learning.seal("x") and opener_learning.key_id(opener_learning.seal("x")) == 1  # still seals under 1
    resealed = sealer_after.reseal(old_text)
    assert sealer_after.key_id(resealed) == 2 and opener_after.open(resealed) == "310104199001010012"
    with pytest.raises(PiiDecryptError, match="unknown key id 1"):
        opener_after.open(old_text)
    assert PartnerSeal(OLD).open(old_text) == "310104199001010012"  # one key, as before rings
    assert sealer_after.key_id("not base64!") is None


def test_service_settings_build_the_partner_seal_ring_at_startup(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PARTNER_SEAL_KEY", text(NEW))
    monkeypatch.setenv("PARTNER_SEAL_KEY_ID", "2")
    monkeypatch.setenv("PARTNER_SEAL_RETIRED_KEYS", f"1:{text(OLD)}")
    seal = ServiceSettings().partner_seal()
    assert seal.current_id == 2
    assert seal.open(PartnerSeal(OLD).seal("310104199001010012")) == "310104199001010012"

    # a typo is read without complaint when the settings load, and stops the process where it starts
    monkeypatch.setenv("PARTNER_SEAL_RETIRED_KEYS", f"1;{text(OLD)}")
    settings = ServiceSettings()
    with pytest.raises(PiiKeyError, match="PARTNER_SEAL_RETIRED_KEYS: entry 1 is not written id:key"):
        settings.partner_seal()


def test_service_settings_default_to_key_1_and_no_retired_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("PARTNER_SEAL_KEY", "PARTNER_SEAL_KEY_ID", "PARTNER_SEAL_RETIRED_KEYS"):
        monkeypatch.delenv(name, raising=False)
    settings = ServiceSettings()
    assert (settings.partner_seal_key_id, settings.partner_seal_retired_keys) == (1, "")
    assert settings.partner_seal().current_id == 1
