"""Social-security adapter use cases: each runs in the transaction it is given and records its events there."""

SOURCE = "/adapters/socialsec"
