"""Pages of the sharing log, one module per journey."""
