"""HTTP routes: parse the request, call one use case, return its result."""
