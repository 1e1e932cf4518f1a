"""The official registers the graph is built from, as the DCAT-AP catalogue names them.

Each register a build loaded (its source graph, ``id/graph/<kind>``, is in the store) becomes a
``dcat:Dataset`` of its own, with its publisher, licence and credit as
``data/registers/SOURCES.md`` states them, and our dataset points at it with ``dct:source``
(DCAT-AP's "source") and ``prov:wasDerivedFrom``. The texts are constants here, beside the
files' own record of origin: they change only when a register file is replaced.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Publisher:
    """The body that publishes a register; ``kind`` is its ADMS publisher type."""

    key: str
    name: str
    homepage: str
    kind: tuple[str, str] = ("NationalAuthority", "National authority")


@dataclass(frozen=True)
class RegisterDataset:
    """One register as a source dataset of the graph.

    ``licence`` is the IRI of the licence document when the publisher gives one; otherwise the
    catalogue mints a licence document from ``licence_text`` (the terms as the publisher
    states them). ``countries`` are ISO alpha-3 codes, ``reference_date`` an ISO date or year.
    """

    kind: str
    title: str
    description: str
    publisher: Publisher
    landing_page: str
    licence_text: str
    credit: str
    countries: tuple[str, ...]
    reference_date: str
    keywords: tuple[str, ...]
    licence: str | None = None


GUS = Publisher("gus", "Główny Urząd Statystyczny (Statistics Poland)", "https://stat.gov.pl/")
CZSO = Publisher("czso", "Český statistický úřad (Czech Statistical Office)",
                 "https://www.czso.cz/")
EUROSTAT = Publisher("eurostat", "Eurostat, European Commission",
                     "https://ec.europa.eu/eurostat",
                     ("SupraNationalAuthority", "Supra-national authority"))

COMMISSION_REUSE_DECISION = "http://data.europa.eu/eli/dec/2011/833/oj"
"""Commission Decision 2011/833/EU on the reuse of Commission documents: Eurostat's terms."""

EU_MEMBERS_WITH_LAU = (
    "AUT", "BEL", "BGR", "CYP", "CZE", "DEU", "DNK", "EST", "GRC", "ESP", "FIN", "HRV", "HUN",
    "IRL", "ITA", "LTU", "LUX", "LVA", "MLT", "NLD", "POL", "PRT", "ROU", "SWE", "SVN", "SVK",
)
"""EU member states in Eurostat's LAU 2020 file (France's communes come apart, without points)."""

LAU_COUNTRIES = (*EU_MEMBERS_WITH_LAU, "ALB", "CHE", "GBR", "ISL", "LIE", "MKD", "NOR", "SRB")
"""The 34 countries of ``eu_lau_2020.csv``: the EU without France, EFTA, the UK, candidates
(France's communes are ``fr_lau_2020.csv``, read by the same source kind)."""

REGISTERS: dict[str, RegisterDataset] = {
    "teryt": RegisterDataset(
        kind="teryt",
        title="TERYT: TERC register of the territorial division of Poland (as of 2024-01-01)",
        description="Poland's official register of units of territorial division kept by "
        "Statistics Poland: 16 voivodeships, 380 powiats and 2,477 gminas with their 2-, 4- "
        "and 7-digit TERYT codes and gmina types, joined with Eurostat's LAU 2020 codes, "
        "NUTS 3 regions, populations and population-weighted centres (EDJNet).",
        publisher=GUS,
        landing_page="https://eteryt.stat.gov.pl/",
        licence_text="Open official data of Statistics Poland (GUS): re-use with "
        "acknowledgement of the source.",
        credit="GUS, TERYT TERC (stan na 2024-01-01); © European Union, Eurostat, LAU 2020; "
        "population-weighted centres © EDJNet (European Data Journalism Network)",
        countries=("POL",),
        reference_date="2024-01-01",
        keywords=("TERYT", "TERC", "gmina", "powiat", "voivodeship"),
    ),
    "cz-obce": RegisterDataset(
        kind="cz-obce",
        title="Czech municipalities (obce) with okres and kraj (RÚIAN / ČSÚ codes)",
        description="Every one of Czechia's 6,258 municipalities (obce) with its six-digit "
        "kód obce, its okres (LAU 1) and kraj (NUTS 3), Eurostat's LAU 2020 population and "
        "two points: the population-weighted centre (EDJNet) and the municipality's own "
        "coordinates.",
        publisher=CZSO,
        landing_page="https://www.czso.cz/csu/czso/ciselniky",
        licence_text="Open official data of the Czech Statistical Office and the RÚIAN "
        "register: re-use with acknowledgement of the source.",
        credit="ČSÚ / RÚIAN; © European Union, Eurostat, LAU 2020; population-weighted "
        "centres © EDJNet (European Data Journalism Network)",
        countries=("CZE",),
        reference_date="2021",
        keywords=("kód obce", "obec", "okres", "kraj", "RÚIAN"),
    ),
    "lau": RegisterDataset(
        kind="lau",
        title="Eurostat Local Administrative Units (LAU) 2020",
        description="Eurostat's list of local administrative units: 63,645 units of 34 "
        "European countries (the EU without France, EFTA, the United Kingdom and candidate "
        "countries) with their LAU codes, NUTS 2 and NUTS 3 regions, population and "
        "population-weighted centres (EDJNet), and France's 34,968 communes (INSEE codes, "
        "NUTS 3, population, no point) in a file of their own.",
        publisher=EUROSTAT,
        landing_page="https://ec.europa.eu/eurostat/web/nuts/local-administrative-units",
        licence_text="© European Union, Eurostat: re-use with acknowledgement of the source "
        "(Commission Decision 2011/833/EU).",
        credit="© European Union, Eurostat, LAU 2020; population-weighted centres © EDJNet "
        "(European Data Journalism Network)",
        countries=(*LAU_COUNTRIES, "FRA"),
        reference_date="2020",
        keywords=("LAU", "local administrative units", "municipalities"),
        licence=COMMISSION_REUSE_DECISION,
    ),
    "nuts": RegisterDataset(
        kind="nuts",
        title="Eurostat NUTS 2024 classification",
        description="The 1,582 regions of the Nomenclature of territorial units for "
        "statistics, version 2024 (NUTS 1, 2 and 3 of the EU-27), with code, name and level; "
        "the graph names them by the EU Publications Office's IRIs "
        "(http://data.europa.eu/nuts/code/...).",
        publisher=EUROSTAT,
        landing_page="https://ec.europa.eu/eurostat/web/nuts",
        licence_text="© European Union, Eurostat: re-use with acknowledgement of the source "
        "(Commission Decision 2011/833/EU).",
        credit="© European Union, Eurostat, NUTS 2024",
        countries=(*EU_MEMBERS_WITH_LAU, "FRA"),
        reference_date="2024-01-01",
        keywords=("NUTS", "regions", "statistical regions"),
        licence=COMMISSION_REUSE_DECISION,
    ),
}
"""The registers by source kind (the slug of their source graph)."""


def registers_in(graph_names: list[str] | tuple[str, ...]) -> list[RegisterDataset]:
    """The registers whose source graph is among ``graph_names``, in :data:`REGISTERS` order.

    >>> [r.kind for r in registers_in(["https://w3id.org/twinning-kg/id/graph/nuts",
    ...                                "https://w3id.org/twinning-kg/id/graph/teryt",
    ...                                "https://w3id.org/twinning-kg/id/graph/wikipedia"])]
    ['teryt', 'nuts']
    """
    slugs = {name.rstrip("/").rsplit("/", 1)[-1] for name in graph_names
             if "/graph/" in name}
    return [register for kind, register in REGISTERS.items() if kind in slugs]
