"""HTTP entry points: parse, call one use case, return."""
