"""SHACL validation: the shapes, pyshacl and the SPARQL-compiled runner behind one API."""
