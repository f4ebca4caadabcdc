"""The HTTP API: SPARQL endpoint, Graph Store, linked data (FastAPI)."""
