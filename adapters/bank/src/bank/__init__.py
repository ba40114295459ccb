"""Reference bank adapter: issues member service cards for submitted batches (docs/adapters.md)."""
