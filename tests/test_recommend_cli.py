"""``twinkg suggest`` on a real published fixture store, through the real click entry point."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from service.cli import main
from tests.recommend_support import BASE, partners, publish_fixture, select


@pytest.fixture(scope="module")
def recommend_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return publish_fixture(tmp_path_factory.mktemp("suggest-cli-store"))


def test_json_lists_objects_with_iri_label_country_score_and_reasons(
        recommend_store: Path) -> None:
    result = CliRunner().invoke(main, ["suggest", "--store", str(recommend_store),
                                       "Swarzędz, PL", "--country", "DE", "-n", "5", "--json"])
    assert result.exit_code == 0, result.output
    suggestions = json.loads(result.output)
    assert 0 < len(suggestions) <= 5
    existing = partners(recommend_store, BASE + "pl/swarzędz")
    scores = [s["score"] for s in suggestions]
    assert scores == sorted(scores, reverse=True)
    for suggestion in suggestions:
        assert {"iri", "label", "country", "score", "reasons"} <= suggestion.keys()
        assert suggestion["country"] == "DE" and suggestion["iri"] not in existing
        label = select(recommend_store,
                       f"SELECT ?l WHERE {{ <{suggestion['iri']}> rdfs:label ?l }}")
        assert label[0]["l"] == suggestion["label"]
        assert all(isinstance(r, str) and r for r in suggestion["reasons"])


def test_plain_output_names_the_authority_and_numbers_the_suggestions(
        recommend_store: Path) -> None:
    result = CliRunner().invoke(main, ["suggest", "--store", str(recommend_store),
                                       BASE + "cz/kutná-hora", "-n", "3"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("Partners suggested for Kutná Hora (CZ, 0 partners)")
    assert [line.split(".")[0].strip() for line in lines if line[:4].strip().rstrip(".")
            .isdigit()] == ["1", "2", "3"]


@pytest.mark.parametrize(("arguments", "message"), [
    (["Atlantis, PL"], "no authority named 'Atlantis' in Poland"),
    (["Swarzędz, PL", "--theme", "knitting"], "unknown theme 'knitting'"),
])
def test_user_errors_are_sentences_not_tracebacks(recommend_store: Path,
                                                  arguments: list[str], message: str) -> None:
    result = CliRunner().invoke(main, ["suggest", "--store", str(recommend_store), *arguments])
    assert result.exit_code == 1
    assert message in result.output and "Traceback" not in result.output


def test_an_unpublished_store_is_a_clear_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["suggest", "--store", str(tmp_path), "Swarzędz, PL"])
    assert result.exit_code == 1 and "no published graph" in result.output
