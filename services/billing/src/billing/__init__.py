"""Billing: payables and notices from submitted batches, insurer accounts, vouchers and their review,
refunds, receipts and payment confirmation (DOMAIN.md §8)."""
