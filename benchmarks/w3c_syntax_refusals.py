"""How many valid W3C SPARQL 1.1 queries the endpoint's guard refuses as unreadable (issue 13).

Sends every vendored W3C syntax test (``tests/data/w3c-sparql11-syntax``) to a real
``twinkg serve`` process on 127.0.0.1, once by each protocol form (GET, POST form, POST
``application/sparql-query``), and prints:

* the positive tests the guard refused ("the guard could not read this query"): their count
  and list, the figure issue 13 asks to keep small;
* every answer that breaks the rules (a 5xx; a positive test neither answered nor refused by
  the guard nor, for federation, refused with a 403; a negative test answered 200).

Run from the repository root::

    .venv/bin/python benchmarks/w3c_syntax_refusals.py                  # small fixture store
    .venv/bin/python benchmarks/w3c_syntax_refusals.py --store var/store

Exit status 1 when a rule was broken.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import Counter
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.endpoint_support import METHODS, Answer, send, serve_fixture_store
from tests.servers import start_twinkg
from tests.w3c_syntax import SyntaxTest, missing_files, syntax_tests


def verdict(test: SyntaxTest, answer: Answer) -> str:
    """``ok``, ``refused`` (a guard refusal of a valid query) or what rule was broken."""
    if answer.status >= 500:
        return "5xx"
    if not test.positive:
        return "ok" if 400 <= answer.status < 500 else "negative-not-refused"
    if answer.status == 200:
        return "ok"
    if answer.guard_refusal:
        return "refused"
    if test.folder == "syntax-fed" and answer.status == 403:
        return "ok"
    return "positive-not-answered"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--store", type=Path, default=None,
                        help="a published store to serve (default: the small test fixture)")
    args = parser.parse_args()
    tests = syntax_tests()
    print(f"{len(tests)} vendored W3C syntax tests ({sum(t.positive for t in tests)} positive, "
          f"{sum(not t.positive for t in tests)} negative); "
          f"{len(missing_files())} manifest entries not vendored")
    workdir = Path(tempfile.mkdtemp(prefix="twinkg-w3c-"))
    server = start_twinkg(workdir, store=args.store) if args.store else \
        serve_fixture_store(workdir)
    problems: list[str] = []
    refused: dict[str, list[str]] = {}
    counts: Counter[str] = Counter()
    try:
        with requests.Session() as session:
            for test in tests:
                for method in METHODS:
                    answer = send(session, server.sparql, test.query, method, timeout=120)
                    outcome = verdict(test, answer)
                    counts[outcome] += 1
                    if outcome == "refused":
                        refused.setdefault(test.name, []).append(method)
                    elif outcome != "ok":
                        problems.append(f"{outcome:<22} {test.name} [{method}] "
                                        f"{answer.describe()}")
    finally:
        server.stop()
    print(f"answers: {dict(counts)} ({len(tests) * len(METHODS)} requests)")
    print(f"\npositive tests refused by the guard: {len(refused)}")
    for name, methods in sorted(refused.items()):
        print(f"  {name} ({', '.join(methods)})")
    print(f"\nanswers that break the rules: {len(problems)}")
    for line in problems:
        print("  " + line)
    raise SystemExit(1 if problems else 0)


if __name__ == "__main__":
    main()
