"""The bundled data the default build reads, installed as the package ``graph.resources.data``
(see ``graph/resources/__init__.py`` and ``SOURCES.md`` in each folder); this file makes the
folder a package, so that an editable install finds it as a wheel does."""
