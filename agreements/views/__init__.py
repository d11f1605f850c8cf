"""Agreement pages, one module per feature (the same names as the models, selectors, services,
forms and urls): browse, drafting, parties, signing, versions, documents, reviews, breaches and
requests."""
