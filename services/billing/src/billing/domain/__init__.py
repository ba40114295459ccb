"""Billing rules as plain functions: no I/O, no framework."""
