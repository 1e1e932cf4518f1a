"""The project's own files as packages, so that a wheel carries them and
:mod:`importlib.resources` finds them wherever the project is installed.

The folders stay at the top of the repository, where the design names them, and
``pyproject.toml`` maps them here (``[tool.setuptools.package-dir]``): ``ontology/`` is
``graph.resources.ontology``, ``shapes/`` is ``graph.resources.shapes`` and ``data/`` is
``graph.resources.data``. :mod:`graph.core.resources` is the one place that looks them up.
"""
