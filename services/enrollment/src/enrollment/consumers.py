"""What enrollment hears: the org tree, members, card holders, social-security answers, vouchers and payments,
and the bank's pension withholding (退休住院计划)."""

from sqlmodel.ext.asyncio.session import AsyncSession

from contracts import topics
from contracts.billing import BillingPaymentConfirmed, BillingVoucherSubmitted
from contracts.cards import CardIssued
from contracts.envelope import Envelope
from contracts.members import MemberDeleted, MembersImported, MembersNumbered, MemberTransferred, MemberUpdated
from contracts.org import UnionDeleted, UnionMoved, UnionUpserted
from contracts.retiree import BankWithholdingReported
from contracts.socialsec import SocialsecCheckReported
from runtime.service import Subscriptions

from .service import checks, orgs, payments, people
from .service.mutual_aid import employment
from .service.retiree import billing as retiree_billing
from .service.retiree import validation as retiree_validation
from .service.retiree import withholding as retiree_withholding


def subscriptions() -> Subscriptions:
    return {
        topics.ORG: {
            UnionUpserted.ce_type: orgs.on_upserted,
            UnionMoved.ce_type: orgs.on_moved,
            UnionDeleted.ce_type: orgs.on_deleted,
        },
        topics.MEMBERS: {
            MembersImported.ce_type: people.on_members_chunk,
            MembersNumbered.ce_type: people.on_members_chunk,
            MemberUpdated.ce_type: people.on_member,
            MemberTransferred.ce_type: people.on_member,
            MemberDeleted.ce_type: people.on_member_deleted,
        },
        topics.CARDS: {CardIssued.ce_type: people.on_card_issued},
        topics.SOCIALSEC: {SocialsecCheckReported.ce_type: _socialsec_reported},
        topics.BILLING: {
            BillingVoucherSubmitted.ce_type: _voucher_submitted,
            BillingPaymentConfirmed.ce_type: _payment_confirmed,
        },
        topics.BANK: {BankWithholdingReported.ce_type: retiree_withholding.on_reported},
    }


async def _socialsec_reported(session: AsyncSession, event: SocialsecCheckReported, envelope: Envelope) -> None:
    """会员专享's member checks, or a mutual-aid roster's 设置在职 (request ids ma-…)."""
    if employment.ours(event):
        await employment.on_reported(session, event, envelope)
    elif retiree_validation.ours(event):  # 退休住院计划 系统校验 (rt-…)
        await retiree_validation.on_reported(session, event, envelope)
    else:
        await checks.on_reported(session, event, envelope)


async def _voucher_submitted(session: AsyncSession, event: BillingVoucherSubmitted, envelope: Envelope) -> None:
    """A retiree-plan payable (TXZY…), or the other programmes'."""
    if retiree_billing.ours(event.batch_no):
        await retiree_billing.on_voucher_submitted(session, event)
    else:
        await payments.on_voucher_submitted(session, event, envelope)


async def _payment_confirmed(session: AsyncSession, event: BillingPaymentConfirmed, envelope: Envelope) -> None:
    if retiree_billing.ours(event.batch_no):
        await retiree_billing.on_payment_confirmed(session, event)
    else:
        await payments.on_payment_confirmed(session, event, envelope)
