"""Root of the test tree: the local-stack fixtures come from the `localstack` pytest plugin."""
