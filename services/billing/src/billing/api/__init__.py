"""HTTP routes: parse, call one use case, return."""
