"""A reason for a suggestion: a sentence in every language, its kind, and the facts it cites.

Shared by :mod:`graph.recommend.reasons` and :mod:`graph.recommend.surroundings`, which write
the sentences of each kind.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from graph.recommend.features import FeatureContext
from graph.recommend.wording import Names, Slot, in_every_language


@dataclass(frozen=True)
class Reason:
    """One sentence (``text``, English; ``texts`` by language), what kind of evidence it is,
    and the facts it cites."""

    kind: str
    text: str
    weight: float
    facts: dict[str, Any] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)

    def text_in(self, language: str) -> str:
        """The sentence in ``language`` (English when it is not written in that language)."""
        return self.texts.get(language, self.text)


def reason_of(kind: str, key: str, weight: float, facts: dict[str, Any], **slots: Slot) -> Reason:
    """The reason of ``kind`` saying sentence ``key`` (:data:`graph.recommend.wording.SENTENCES`)
    in every language with ``slots``; ``KeyError`` for an unknown sentence."""
    texts = in_every_language(key, **slots)
    return Reason(kind, texts["en"], weight, facts, texts)


def listed(context: FeatureContext, indices: list[int]) -> Names:
    """The names of the authorities ``indices``, in alphabetical order."""
    return Names(sorted(context.graph.labels[i] for i in indices))


def neighbours_of(context: FeatureContext, i: int, area: bool = False) -> list[int]:
    """The authorities near ``i`` (:func:`graph.recommend.geography.neighbourhoods`), or in
    its wider area (``area``), sorted."""
    near = context.area if area else context.near
    start, end = near.indptr[i], near.indptr[i + 1]
    return sorted(near.indices[start:end].tolist())
