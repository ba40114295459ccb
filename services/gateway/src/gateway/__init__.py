"""The gateway: the platform's one public entry (DESIGN.md §1)."""
