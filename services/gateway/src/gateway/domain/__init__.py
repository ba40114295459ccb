"""Gateway rules: plain functions over plain values, no I/O."""
