"""Reference social-security adapter: answers checks from a seeded register (docs/adapters.md)."""
