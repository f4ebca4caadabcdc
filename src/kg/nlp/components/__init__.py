"""spaCy components of the extraction pipeline, registered in :mod:`kg.nlp.registry`."""
