"""Card rules: plain functions over plain values, no I/O, no framework."""
