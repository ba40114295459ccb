"""Every event the platform exchanges: the CloudEvents envelope, topic names, one module per producer."""
