"""Where a deployment serves its catalogue, and the IRIs the catalogue mints there.

Every IRI of the catalogue (catalogue, dataset, SPARQL service, publisher, contact point) is a
hash IRI of the catalogue document, so that each dereferences to the document that describes
it; the fixed statements (``catalog_fixed.ttl``) are written with the same IRIs relative to
that document.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import URIRef


@dataclass(frozen=True)
class CatalogSettings:
    """Where the service lives and whom to write to; everything else comes from the graph or
    the fixed statements.

    ``applicable_legislation`` lists ELI IRIs of legislation that mandates the dataset
    (DCAT-AP's ``dcatap:applicableLegislation``). None does today: the dataset is not a
    high-value dataset under Regulation (EU) 2023/138 and no act requires it, so it is empty
    by default rather than stretched to fit.
    """

    base_iri: str
    contact_email: str | None = None
    applicable_legislation: tuple[str, ...] = ()

    def url(self, path: str = "") -> str:
        """A URL of the service below the base IRI.

        >>> CatalogSettings("http://127.0.0.1:8080").url("catalog")
        'http://127.0.0.1:8080/catalog'
        """
        base = self.base_iri if self.base_iri.endswith("/") else self.base_iri + "/"
        return base + path


@dataclass(frozen=True)
class CatalogIris:
    """The IRIs the catalogue mints, all hash IRIs of the catalogue document, so that they
    dereference to it."""

    catalog: URIRef
    dataset: URIRef
    service: URIRef
    publisher: URIRef
    contact: URIRef

    @classmethod
    def below(cls, settings: CatalogSettings) -> CatalogIris:
        """The catalogue's IRIs for a deployment.

        >>> CatalogIris.below(CatalogSettings("https://w3id.org/twinning-kg/")).dataset
        rdflib.term.URIRef('https://w3id.org/twinning-kg/catalog#dataset')
        """
        doc = settings.url("catalog")
        return cls(URIRef(doc), URIRef(doc + "#dataset"), URIRef(doc + "#sparql"),
                   URIRef(doc + "#publisher"), URIRef(doc + "#contact"))
