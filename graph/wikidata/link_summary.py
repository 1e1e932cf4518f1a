"""How many authorities the Wikidata links reached, and by which evidence.

Why a summary of its own: the share linked by official code is the figure that tells whether
the registers and the harvest meet (every unit whose code the harvest holds should be linked
by it); ``twinkg wikidata link`` prints it after every run.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from graph.ingest.harvest_cache import Harvest
from graph.wikidata.reconcile import MUNICIPAL_CODES, AuthorityFacts, ItemIndex, Link


@dataclass(frozen=True)
class LinkSummary:
    """How the links were found, for the authorities that carry a municipal code.

    ``coded``: authorities with a TERYT, kód obce or LAU code; ``known``: those whose code one
    item of the harvest (and only one) carries; ``by_code``: those linked by such a code.
    ``by_method`` counts every link by method.
    """

    authorities: int
    linked: int
    coded: int
    known: int
    by_code: int
    by_method: dict[str, int]

    @property
    def share_by_code(self) -> float:
        """Share of the coded authorities linked by their code (0 when none has a code)."""
        return self.by_code / self.coded if self.coded else 0.0

    def sentence(self) -> str:
        """The figures in one line, as ``twinkg wikidata link`` prints them.

        >>> print(LinkSummary(10, 8, 5, 4, 4, {}).sentence())  # doctest: +NORMALIZE_WHITESPACE
        Linked by official code (TERYT, kód obce, LAU): 4 of 5 authorities with a code
        (80.0%); 4 of the 4 whose code the harvest holds.
        """
        return (f"Linked by official code (TERYT, kód obce, LAU): {self.by_code} of "
                f"{self.coded} authorities with a code ({100 * self.share_by_code:.1f}%); "
                f"{self.by_code} of the {self.known} whose code the harvest holds.")


def summarise(authorities: Iterable[AuthorityFacts], links: Iterable[Link],
              harvest: Harvest) -> LinkSummary:
    """Count the links of :func:`link_all` (``links`` in the order of ``authorities``)."""
    index = ItemIndex(harvest.items.values())
    by_method: dict[str, int] = defaultdict(int)
    total = linked = coded = known = by_code = 0
    code_methods = {f"wikidata:{a}" for a in MUNICIPAL_CODES}
    for authority, link in zip(authorities, links, strict=True):
        total += 1
        if link.linked:
            linked += 1
            by_method[link.method] += 1
        codes = {a: authority.codes.get(a, set()) for a in MUNICIPAL_CODES}
        if not any(codes.values()):
            continue
        coded += 1
        if any(len(index.by_codes(a, found)) == 1 for a, found in codes.items() if found):
            known += 1
        if link.method in code_methods:
            by_code += 1
    return LinkSummary(total, linked, coded, known, by_code, dict(sorted(by_method.items())))
