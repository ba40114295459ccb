"""Reference social-security adapter: answers checks from a seeded register with configurable latency and failures."""
