"""Billing service: the money of the union insurance programmes (DOMAIN.md §8)."""
