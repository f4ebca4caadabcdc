"""RDF: IRI minting and the mapping of extraction records to quads."""
