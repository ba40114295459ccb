"""How a consumer reads a message before any use case runs: envelope, type, body."""

from datetime import date

import pytest

from contracts.envelope import new_envelope
from contracts.members import MembersImported, MemberSnapshot
from runtime.consumer import Poison, decode

SNAPSHOT = MemberSnapshot(member_id="m1", org_id=5, category="关联企业类", joined_on=date(2024, 3, 5), version=1)


def test_a_known_event_decodes_to_its_model():
    event = MembersImported(import_id="i1", members=[SNAPSHOT])
    headers = {k: v.encode() for k, v in new_envelope("/services/members", event).headers().items()}
    envelope, decoded = decode(headers, event.model_dump_json().encode())
    assert envelope.type == "members.imported" and envelope.subject == "i1"
    assert decoded == event


def test_an_unknown_type_is_passed_over_not_dead_lettered():
    headers = {"ce_id": "1", "ce_source": "/x", "ce_type": "somebody.else.v9"}
    envelope, decoded = decode(headers, b"{}")
    assert envelope.type == "somebody.else.v9" and decoded.ce_type == "unknown"


@pytest.mark.parametrize(
    ("headers", "body", "why"),
    [
        ({"ce_source": "/x", "ce_type": "members.imported"}, b"{}", "ce_id"),
        ({"ce_id": "1", "ce_source": "/x", "ce_type": "members.imported"}, b"{not json", "invalid"),
        ({"ce_id": "1", "ce_source": "/x", "ce_type": "members.imported"}, b'{"import_id": "i"}', "invalid"),
    ],
)
def test_what_no_retry_can_fix_is_poison(headers, body, why):
    with pytest.raises(Poison) as poison:
        decode(headers, body)
    assert why in str(poison.value)
