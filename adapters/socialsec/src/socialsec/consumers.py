"""What the social-security adapter hears: check requests on socialsec.v1 (its own reports on the
same topic, and any other type, are acknowledged and ignored)."""

from contracts import topics
from contracts.socialsec import SocialsecCheckRequested
from runtime.service import Subscriptions

from .service.checks import Checking


def subscriptions(checking: Checking) -> Subscriptions:
    return {topics.SOCIALSEC: {SocialsecCheckRequested.ce_type: checking.on_requested}}
