"""Enrollment service: the union insurance programmes (DOMAIN.md §5–§7)."""
