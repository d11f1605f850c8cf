"""Agreement forms, one module per feature (the same names as the views that show them)."""
