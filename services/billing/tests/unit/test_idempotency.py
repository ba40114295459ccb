"""Idempotency-Key rules: required and well-formed; the same request hashes the same (whatever the key
order), a different body or file does not, and a reused key with other content is refused."""

from __future__ import annotations

import pytest

from billing.domain.idempotency import check_key, is_replay, request_hash
from runtime.errors import DomainError, InvalidInput


def test_a_money_moving_request_needs_a_sane_key():
    assert check_key("9b2e-01") == "9b2e-01"
    for bad, code in ((None, "idempotency.key_required"), ("  ", "idempotency.key_required"),
                      ("x" * 101, "idempotency.key_invalid"), ("密钥", "idempotency.key_invalid")):  # fmt: skip
        with pytest.raises(InvalidInput) as exc:
            check_key(bad)
        assert exc.value.code == code


def test_the_same_request_has_the_same_hash_and_any_change_another():
    body = {"amount_fen": 200000, "batch_nos": ["CB1"]}
    same = request_hash("POST /vouchers", {"batch_nos": ["CB1"], "amount_fen": 200000}, {"file": b"png"})
    assert request_hash("POST /vouchers", body, {"file": b"png"}) == same
    assert request_hash("POST /vouchers", body | {"amount_fen": 200001}, {"file": b"png"}) != same
    assert request_hash("POST /vouchers", body, {"file": b"other"}) != same
    assert request_hash("PUT /vouchers/PZ1", body, {"file": b"png"}) != same


def test_a_retry_is_a_replay_and_a_reused_key_with_other_content_is_refused():
    assert is_replay("abc", "abc")
    with pytest.raises(DomainError) as exc:
        is_replay("abc", "def")
    assert (exc.value.code, exc.value.status) == ("idempotency.key_reused", 409)
