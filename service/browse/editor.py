"""The query editor at ``/query``: a form that works without JavaScript (CodeMirror adds
highlighting), a gallery of examples, results as a table, downloads and shareable links.

The query runs through the same backend and guard as the SPARQL endpoint, so the editor can do
nothing the endpoint would refuse; a query's errors are shown next to it with the endpoint's
status code (400 syntax, 403 refused, 503 timeout).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph
from flask import Response, render_template, request, url_for

from graph.query.backend import (
    QueryEvaluationError,
    QueryNotAcceptable,
    QueryRefused,
    QuerySyntaxError,
    QueryTimeout,
)
from graph.query.solutions import Cell, answer_of, cell_of_term
from graph.views.examples import example, gallery
from service import backend
from service.browse import bp
from service.i18n import language
from service.media_types import formats_of
from service.public_url import public_url

SHOWN_ROWS = 1000
"""Most rows the page shows; downloads have them all."""



@dataclass
class Table:
    """An answer shaped for the template: column names, rows of cells, or a boolean."""

    kind: str
    columns: list[str] = field(default_factory=list)
    rows: list[list[Cell | None]] = field(default_factory=list)
    total: int = 0
    boolean: bool | None = None


def _results_table(body: bytes) -> Table:
    answer = answer_of(body)
    if answer.boolean is not None:
        return Table("boolean", boolean=answer.boolean)
    rows = [[row.get(name) for name in answer.variables] for row in answer.rows[:SHOWN_ROWS]]
    return Table("results", answer.variables, rows, len(answer.rows))


def _graph_table(body: bytes) -> Table:
    triples = list(pyoxigraph.parse(body, format=pyoxigraph.RdfFormat.N_TRIPLES))
    rows: list[list[Cell | None]] = [
        [cell_of_term(t.subject), cell_of_term(t.predicate), cell_of_term(t.object)]
        for t in triples[:SHOWN_ROWS]]
    return Table("graph", ["subject", "predicate", "object"], rows, len(triples))


@bp.route("/query")
def query_editor() -> Response:
    """The editor; with ``query`` (or ``example``) it also runs the query and shows results."""
    chosen = example(request.args.get("example", ""))
    text = request.args.get("query") or (chosen.query if chosen else "")
    if not text:
        text = gallery()[0].query
        run = False
    else:
        run = True
    table: Table | None = None
    error: str | None = None
    status = 200
    downloads: list[tuple[str, str]] = []
    if run:
        try:
            output = backend().query(text, graph_format="application/n-triples")
            is_graph = output.kind == "graph"
            table = _graph_table(output.body) if is_graph else _results_table(output.body)
            kinds = ("graph",) if is_graph else ("results",)
            downloads = [(f.label, url_for("sparql.endpoint", query=text, format=f.name))
                         for f in formats_of(*kinds)]
        except (QuerySyntaxError, QueryRefused, QueryTimeout, QueryNotAcceptable,
                QueryEvaluationError) as failure:
            error, status = str(failure), failure.status
    share = public_url(url_for("browse.query_editor", query=text)) if run else None
    lang = language()
    examples = [(e.slug, e.title(lang), url_for("browse.query_editor", example=e.slug))
                for e in gallery()]
    return Response(render_template("browse/query.html", query=text, table=table, error=error,
                                    downloads=downloads, share=share, examples=examples,
                                    chosen=chosen.slug if chosen else None),
                    status=status, mimetype="text/html")
