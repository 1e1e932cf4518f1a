"""Authorities in different countries that share a name: namesakes twin far more than chance.

Why a signal: towns often seek out their namesakes abroad (Essen in Germany and in Belgium,
Plymouth in England and in Massachusetts, Córdoba in Spain and in Argentina); on the Wikipedia
graph about a quarter of the cross-border pairs with the same name are twinned, against a
chance of a few in ten thousand for any pair. A name contained in another as whole words
(Linz and Linz am Rhein, Orléans and New Orleans) is a weaker form of the same thing.

Only names are compared, never places, and only across countries: within one country, towns of
the same name (there are dozens of Nowa Wieś) are no more likely to twin than others.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp

from graph.core.names import fold

SAME_NAME = 2.0
"""The value of a pair whose names are the same (after :func:`name_key`)."""
NAME_WITHIN = 1.0
"""The value of a pair where one name is a run of whole words of the other."""
MIN_CONTAINED = 4
"""A name shorter than this (in letters) is not looked for inside others ("Ems", "Bad")."""
MAX_WORDS = 6
"""Names are cut into runs of at most this many words."""

_QUALIFIER = re.compile(r"\([^()]*\)")


def name_key(label: str) -> str:
    """The name compared: without a qualifier in parentheses or after a comma, folded.

    >>> name_key("Frankfurt (Oder)"), name_key("Coventry, Rhode Island"), name_key("Łódź")
    ('frankfurt', 'coventry', 'lodz')
    """
    return fold(_QUALIFIER.sub(" ", label.split(",")[0]))


def _runs(key: str) -> set[str]:
    """Every run of up to :data:`MAX_WORDS` consecutive words of ``key`` but ``key`` itself.

    >>> sorted(_runs("linz am rhein"))
    ['am', 'am rhein', 'linz', 'linz am', 'rhein']
    """
    words = key.split()
    return {" ".join(words[a:b]) for a in range(len(words))
            for b in range(a + 1, min(len(words), a + MAX_WORDS) + 1)} - {key}


def namesake_matrix(labels: Sequence[str], countries: np.ndarray) -> sp.csr_matrix:
    """Symmetric matrix: ``[i, j]`` is :data:`SAME_NAME` when i and j, in different countries,
    have the same :func:`name_key`, :data:`NAME_WITHIN` when one's key is a run of whole
    words of the other's, else 0.

    >>> m = namesake_matrix(["Essen", "Essen", "Linz", "Linz am Rhein", "Essen"],
    ...                     np.array(["DE", "BE", "AT", "DE", "DE"]))
    >>> m.toarray().astype(int).tolist()
    [[0, 2, 0, 0, 0], [2, 0, 0, 0, 2], [0, 0, 0, 1, 0], [0, 0, 1, 0, 0], [0, 2, 0, 0, 0]]
    """
    keys = [name_key(label) for label in labels]
    by_key: dict[str, list[int]] = {}
    for i, key in enumerate(keys):
        if key:
            by_key.setdefault(key, []).append(i)
    within: dict[str, list[int]] = {}
    for i, key in enumerate(keys):
        for run in _runs(key):
            if run in by_key:
                within.setdefault(run, []).append(i)
    rows: list[int] = []
    cols: list[int] = []
    values: list[float] = []
    for key, members in by_key.items():
        found: list[tuple[list[int], float]] = [(members, SAME_NAME)]
        if len(key.replace(" ", "")) >= MIN_CONTAINED and key in within:
            found.append((within[key], NAME_WITHIN))
        for others, value in found:
            for i in members:
                for j in others:
                    if countries[i] != countries[j]:
                        rows += [i, j]
                        cols += [j, i]
                        values += [value, value]
    size = len(labels)
    matrix = sp.csr_matrix((np.array(values), (rows, cols)), shape=(size, size))
    matrix.sum_duplicates()
    # A pair found twice (the same name in both directions) keeps its value, not the sum.
    matrix.data = np.where(matrix.data >= SAME_NAME, SAME_NAME, NAME_WITHIN)
    return matrix
