"""Topic names: one per producing service and aggregate family, versioned; dead letters beside each."""

from typing import Final

ORG: Final = "org.v1"
MEMBERS: Final = "members.v1"
CARDS: Final = "cards.v1"
ENROLLMENT: Final = "enrollment.v1"
BILLING: Final = "billing.v1"
BANK: Final = "bank.v1"
SOCIALSEC: Final = "socialsec.v1"

ALL: Final = (ORG, MEMBERS, CARDS, ENROLLMENT, BILLING, BANK, SOCIALSEC)


def dlq(topic: str) -> str:
    """The dead-letter topic of `topic`."""
    return f"{topic}.dlq"
