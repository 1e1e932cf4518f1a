"""The ontology and SKOS vocabularies, their files and their documentation."""
