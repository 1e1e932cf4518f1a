"""Reconciliation of authority names to GeoNames places, offline: the gazetteer's public face.

The work is split by concern: :mod:`graph.gazetteer.index` builds, pickles and loads the
indexes (in child processes on a build's first run), :mod:`graph.gazetteer.match` decides what
a name denotes, reading its hints with :mod:`graph.gazetteer.hints`, and
:mod:`graph.gazetteer.shared_places` unlinks names that landed on one place once a whole build
is matched. The build and the Wikidata linking import what they use from here.
"""

from __future__ import annotations

from graph.core.names import fold
from graph.gazetteer.match import UNMATCHED, Gazetteer, Match
from graph.gazetteer.place_table import Place, distance_km
from graph.gazetteer.shared_places import separate_shared_places

__all__ = ["UNMATCHED", "Gazetteer", "Match", "Place", "distance_km", "fold",
           "separate_shared_places"]
