"""Running SPARQL: the backends (embedded and remote), the guard, the process pool, errors."""
