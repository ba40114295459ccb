"""Billing use cases: each loads, applies a domain rule, saves and records its events in one transaction."""

SOURCE = "/services/billing"
