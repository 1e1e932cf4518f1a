"""Reading sources into records: one module per source kind, and the bundled data."""
