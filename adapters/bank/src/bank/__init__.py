"""Reference bank adapter: issues cards for submitted batches with configurable delay and rejections."""
