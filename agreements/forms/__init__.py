"""Agreement forms, one module per journey (drafting, parties, signing)."""
