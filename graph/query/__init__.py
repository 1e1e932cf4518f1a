"""Running SPARQL: the backends (embedded and remote), the published version and what is
derived from it, the guard, the process pool, errors."""
