"""The simulated social-security register and how it answers a check, as plain functions. No I/O."""
