"""Open-data descriptions of a build: DCAT-AP catalogue, VoID, JSON-LD dump."""
