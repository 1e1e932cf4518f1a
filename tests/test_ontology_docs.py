"""The HTML documentation is generated from the Turtle, reproducibly, and documents every term."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from graph.cli import main
from graph.core.namespaces import TKG
from graph.vocab.ontology_docs import DEFAULT_OUT, DOCS_DIR, PACKAGE_DIR, render_docs
from graph.vocab.vocabulary import ontology_graph, vocabulary_graph


class _Page(HTMLParser):
    """Collects element ids and the text of the page."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.ids.update(v for k, v in attrs if k == "id" and v)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _page(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    return page


def test_every_term_and_concept_is_documented_in_three_languages() -> None:
    page = _page(render_docs())
    text = " ".join(page.text)
    g = ontology_graph()
    for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty):
        for term in g.subjects(RDF.type, kind):
            assert isinstance(term, URIRef)
            assert str(term)[len(str(TKG)):] in page.ids, term
            for label in g.objects(term, RDFS.label):
                assert str(label) in text, label
    v = vocabulary_graph()
    for concept in v.subjects(RDF.type, SKOS.Concept):
        for label in v.objects(concept, SKOS.prefLabel):
            assert str(label) in text, label
    for scheme in ("theme", "partnership-type", "status", "sector", "local-partnership-kind"):
        assert f"scheme-{scheme}" in page.ids


def test_cli_writes_the_same_page_twice(tmp_path: Path) -> None:
    for out in ("a", "b"):
        result = CliRunner().invoke(main, ["docs", "--out", str(tmp_path / out)])
        assert result.exit_code == 0, result.output
    first = (tmp_path / "a" / "index.html").read_bytes()
    assert first == (tmp_path / "b" / "index.html").read_bytes()
    assert first.decode("utf-8") == render_docs()


def test_the_committed_page_is_current() -> None:
    """ontology/docs/index.html is what the service serves; regenerate it with `twinkg docs`."""
    assert (DOCS_DIR / "index.html").read_text(encoding="utf-8") == render_docs()


def test_cli_writes_into_the_working_directory_by_default(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without --out, ontology/docs under the working directory: the committed page when run
    in the repository's root, a folder of the user's anywhere else."""
    assert (Path(__file__).resolve().parents[1] / DEFAULT_OUT).resolve() == DOCS_DIR.resolve()
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["docs"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "ontology" / "docs" / "index.html").read_text(encoding="utf-8") == \
        render_docs()


def test_cli_never_writes_into_the_installed_package() -> None:
    """A folder inside the graph package (where a wheel keeps the ontology) is refused with a
    sentence, and nothing is created there."""
    target = PACKAGE_DIR / "vocab" / "docs-written-by-a-test"
    result = CliRunner().invoke(main, ["docs", "--out", str(target)])
    assert result.exit_code == 1
    assert "inside the installed package" in result.output and "--out" in result.output
    assert not target.exists()
