"""What every service needs and nothing more (DESIGN.md §4)."""
