"""The Wikidata harvester against real servers: ``oxigraph serve`` holding the Wikidata-shaped
fixture (tests/data/wikidata/wikidata.ttl), a server that answers 429 with Retry-After once and
then proxies to it, and one that answers 500 every time."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.ingest.harvest_cache import CacheError, read_cache, write_cache
from graph.wikidata.harvest import Harvester, HarvestError, harvest_to_file
from tests.wikidata_support import DATA, Behaviour, free_port, misbehaving_server, oxigraph_server

EXPECTED = DATA / "harvest.json"
VOLATILE = ("harvested_at", "endpoint", "queries")


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with oxigraph_server(tmp_path_factory.mktemp("wikidata")) as url:
        yield url


def stable(data: dict[str, object]) -> dict[str, object]:
    return {k: v for k, v in data.items() if k not in VOLATILE}


def test_harvest_pages_and_batches_to_the_expected_cache(endpoint: str) -> None:
    paged = Harvester(endpoint, page_size=2, batch_size=4, concurrency=2)
    harvest = paged.harvest(["pl", "CZ"])
    whole = Harvester(endpoint, page_size=1000, batch_size=1000).harvest(["PL", "CZ"])
    assert stable(harvest.to_json()) == stable(whole.to_json())
    assert paged.queries > 2 * 4 + 4, "small pages and batches need more queries"
    expected = json.loads(EXPECTED.read_text(encoding="utf-8"))
    assert stable(harvest.to_json()) == stable(expected)
    assert harvest.countries == ["CZ", "PL"]
    assert harvest.endpoint == endpoint


def test_statements_keep_rank_qualifiers_and_precision(endpoint: str) -> None:
    harvest = Harvester(endpoint, page_size=3).harvest(["PL", "CZ"])
    by_id = {s.id.rsplit("-", 1)[-1]: s for s in harvest.statements}
    assert (by_id["s01"].start, by_id["s01"].end, by_id["s01"].rank) == ("1991", "", "normal")
    assert not by_id["s01"].ended
    assert (by_id["s03"].start, by_id["s03"].end) == ("1995-05", "2010-06-15")
    assert by_id["s03"].ended
    assert by_id["s04"].rank == "deprecated" and by_id["s04"].ended
    assert (by_id["s05"].rank, by_id["s05"].start) == ("preferred", "1979-01-01")
    assert by_id["s08"].start == "", "decade precision is too coarse for a date"
    # Found only from the other side (a Hungarian town naming Poznań):
    assert (by_id["s13"].subject, by_id["s13"].object) == ("Q9100010", "Q9100006")
    # Not harvested: two foreign towns (s14), an unknown-value partner (s16).
    assert "s14" not in by_id and "s16" not in by_id
    assert len(harvest.statements) == 15


def test_items_have_labels_codes_coordinates(endpoint: str) -> None:
    items = Harvester(endpoint).harvest(["PL", "CZ"]).items
    swarzedz = items["Q9100001"]
    assert swarzedz.labels == {"pl": "Swarzędz", "en": "Swarzędz", "de": "Schwarzenau"}
    assert (swarzedz.country, swarzedz.population) == ("PL", 30800)
    assert (swarzedz.lat, swarzedz.long) == (52.408, 17.078)
    assert (swarzedz.teryt, swarzedz.lau, swarzedz.nuts, swarzedz.geonames) == (
        ["3021054"], ["3021054"], ["PL418"], ["3084130"])
    assert items["Q9100004"].labels == {"cs": "Hranice"}, "labelled in one language only"
    assert items["Q9100016"].labels == {"mul": "Nowa Wieś"}
    assert items["Q9100013"].labels == {}, "only a Ukrainian label, which is not harvested"
    assert items["Q9100008"].labels["pl"] == "Lwów" and "uk" not in items["Q9100008"].labels
    # A coded Czech authority with no P190 at all is harvested for reconciliation ...
    assert items["Q9100017"].czech_code == ["554545"]
    # ... unless asked not to, and foreign towns outside any statement never are.
    assert "Q9100017" not in Harvester(endpoint).harvest(["CZ"], coded=False).items
    assert "Q9100014" not in items


def test_only_the_countries_asked_for(endpoint: str) -> None:
    harvest = Harvester(endpoint).harvest(["DE"], coded=False)
    pairs = {(s.subject, s.object) for s in harvest.statements}
    assert ("Q9100014", "Q9100015") in pairs, "DE to FR is harvested when DE is asked for"
    assert ("Q9100003", "Q9100005") not in pairs, "a CZ-FR statement is not"


def test_unknown_country_code_is_a_clear_error(endpoint: str) -> None:
    with pytest.raises(HarvestError, match=r"no item has the ISO 3166-1 code\(s\) XK"):
        Harvester(endpoint).harvest(["PL", "XK"])


def test_429_with_retry_after_is_honoured(endpoint: str, tmp_path: Path) -> None:
    behaviour = Behaviour(upstream=endpoint, failures=[(429, {"Retry-After": "1"})])
    with misbehaving_server(behaviour) as url:
        harvest = harvest_to_file(url, ["PL", "CZ"], tmp_path / "h.json", concurrency=1,
                                  backoff=0.01)
    assert behaviour.seen[1] - behaviour.seen[0] >= 1.0, "waited as Retry-After asked"
    assert stable(harvest.to_json()) == stable(json.loads(EXPECTED.read_text("utf-8")))
    assert all(a.startswith("TwinningKG/") and "P190" in a for a in behaviour.agents)


def test_5xx_is_retried_with_back_off(endpoint: str) -> None:
    waits: list[float] = []
    behaviour = Behaviour(upstream=endpoint, failures=[(503, {}), (502, {})])
    with misbehaving_server(behaviour) as url:
        harvest = Harvester(url, concurrency=1, backoff=0.01, sleep=waits.append).harvest(
            ["CZ"])
    assert waits == [0.01, 0.02]
    assert len(harvest.statements) > 0


def test_retry_after_longer_than_allowed_fails_at_once(endpoint: str) -> None:
    behaviour = Behaviour(upstream=endpoint, failures=[(429, {"Retry-After": "3600"})])
    with misbehaving_server(behaviour) as url, pytest.raises(
            HarvestError, match="asks to wait 3600 s"):
        Harvester(url, max_wait=60).harvest(["PL"])
    assert len(behaviour.seen) == 1


def test_500_every_time_fails_and_keeps_the_previous_cache(tmp_path: Path) -> None:
    cache = tmp_path / "harvest.json"
    cache.write_bytes(EXPECTED.read_bytes())
    behaviour = Behaviour(always=(500, {}))
    with misbehaving_server(behaviour) as url:
        with pytest.raises(HarvestError) as failure:
            harvest_to_file(url, ["PL", "CZ"], cache, retries=2, backoff=0.01)
        message = str(failure.value)
        assert url in message and "EndPointInternalError" in message
        assert "gave up after 3 attempts" in message
        assert len(behaviour.seen) == 3
    assert cache.read_bytes() == EXPECTED.read_bytes()
    assert [p.name for p in tmp_path.iterdir()] == ["harvest.json"], "no temporary file left"


def test_unreachable_endpoint_is_a_clear_error() -> None:
    url = f"http://127.0.0.1:{free_port()}/sparql"
    with pytest.raises(HarvestError, match="cannot reach the endpoint"):
        Harvester(url, retries=1, backoff=0.01).harvest(["PL"])


def test_cache_round_trips_and_records_date_and_endpoint(tmp_path: Path) -> None:
    harvest = read_cache(EXPECTED)
    assert (harvest.endpoint, harvest.harvested_at) == ("http://127.0.0.1/fixture",
                                                        "2026-01-15T12:00:00Z")
    write_cache(harvest, tmp_path / "copy.json")
    assert json.loads((tmp_path / "copy.json").read_text("utf-8")) == json.loads(
        EXPECTED.read_text("utf-8"))


@pytest.mark.parametrize(("content", "reason"), [
    ("not json", "invalid JSON at line 1"),
    ('{"format": "other"}', "expected format"),
    ('{"format": "twinkg-wikidata-harvest/1"}', "damaged harvest cache"),
])
def test_bad_cache_names_the_file(tmp_path: Path, content: str, reason: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CacheError, match=reason) as failure:
        read_cache(path)
    assert str(path) in str(failure.value)


def test_cli_harvest_writes_the_cache(endpoint: str, tmp_path: Path) -> None:
    from graph.cli import main

    out = tmp_path / "var" / "harvest.json"
    result = CliRunner().invoke(main, ["harvest", "wikidata", "--endpoint", endpoint,
                                       "--countries", "PL,CZ", "--out", str(out),
                                       "--page-size", "4"])
    assert result.exit_code == 0, result.output
    assert "15 P190 statements" in result.output
    harvest = read_cache(out)
    assert harvest.endpoint == endpoint and harvest.countries == ["CZ", "PL"]


def test_cli_harvest_failure_is_one_sentence(tmp_path: Path) -> None:
    from graph.cli import main

    out = tmp_path / "harvest.json"
    out.write_text("previous", encoding="utf-8")
    with misbehaving_server(Behaviour(always=(500, {}))) as url:
        result = CliRunner().invoke(main, ["harvest", "wikidata", "--endpoint", url,
                                           "--out", str(out), "--retries", "0"])
    assert result.exit_code == 1
    assert "Error:" in result.output and "left as it was" in result.output
    assert "Traceback" not in result.output
    assert out.read_text(encoding="utf-8") == "previous"
