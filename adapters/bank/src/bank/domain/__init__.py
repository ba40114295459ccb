"""The bank's rules as plain functions: what it answers for one card request. No I/O."""
