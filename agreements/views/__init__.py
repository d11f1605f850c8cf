"""Agreement pages, one module per journey: browse, drafting, parties, signing."""
