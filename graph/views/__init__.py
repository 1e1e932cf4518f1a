"""Every SPARQL query the service runs, and the plain data shaped from the answers."""
