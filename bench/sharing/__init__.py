"""Industry sharing bench: remote match throughput over HTTP, and delta application."""
