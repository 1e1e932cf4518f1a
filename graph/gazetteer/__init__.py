"""Places and register units to reconcile names with: the index, its tables and matching."""
