"""Gateway use cases: each loads, applies a domain rule, saves (and records its audit or events)."""
