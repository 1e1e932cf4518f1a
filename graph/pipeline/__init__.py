"""The build: its stages, RDF output, dumps, reports and progress display."""
