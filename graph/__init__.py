"""Twinning KG's graph layer: import, reconcile, build, validate, publish and query.

Nothing in this package knows about HTTP; the service is a thin layer over it.
"""
