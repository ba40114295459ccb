"""The internal token and the scope check every service applies to rows."""

from datetime import timedelta

import pytest

from runtime.errors import Unauthorized
from runtime.tokens import Principal, Tier, issue, verify

SECRET = "unit-secret-0123456789-0123456789-xyz"


def test_a_token_round_trips_and_a_tampered_or_expired_one_is_refused():
    me = Principal(user_id="u7", tier=Tier.DISTRICT, org_id=12, org_path="1.12")
    token = issue(SECRET, me)
    assert verify(SECRET, token) == me
    with pytest.raises(Unauthorized) as tampered:
        verify("another-secret-0123456789-0123456789", token)
    assert tampered.value.code == "token.invalid"
    with pytest.raises(Unauthorized) as expired:
        verify(SECRET, issue(SECRET, me, ttl=timedelta(seconds=-1)))
    assert expired.value.code == "token.expired"


def test_scope_is_the_subtree_by_path_prefix_never_a_sibling_with_a_longer_id():
    district = Principal(user_id="d", tier=Tier.DISTRICT, org_id=12, org_path="1.12")
    assert district.covers("1.12") and district.covers("1.12.340.341")
    assert not district.covers("1.120") and not district.covers("1.15.12")
    assert district.scope_prefix == "1.12"
    city = Principal(user_id="c", tier=Tier.CITY, org_id=1, org_path="1")
    assert city.covers("1.15.9") and city.scope_prefix is None
    nobody = Principal(user_id="e", tier=Tier.ENTERPRISE)
    assert not nobody.covers("1.12")
