"""One module per source of partnership records; each returns records and has no side effects."""
