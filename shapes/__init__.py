"""The SHACL shapes, installed as the package ``graph.resources.shapes`` (see
``graph/resources/__init__.py``); this file makes the folder a package, so that an editable
install finds it as a wheel does."""
