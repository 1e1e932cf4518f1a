"""A seeded SPARQL query fuzzer for the public endpoint (issue 13).

:func:`fuzz_queries` is a pure function of its seed: the same ``(seed, count)`` always gives the
same queries, so a failure found once can be replayed. Queries grow from seed queries (the
gallery's examples, the vendored W3C syntax tests, the findings of issue 13 and a few
everyday queries) by seeded mutation: tokens deleted, repeated or swapped; escapes in names,
IRIs and strings (``\\u0053ERVICE``, percent and backslash escapes in prefixed names); deep
nesting; huge literals, lists and groups; random bytes and odd encodings.

A query is a ``str``; one meant to carry bytes that are not UTF-8 holds them as lone surrogates
U+DC80..U+DCFF (Python's ``surrogateescape``). Send :func:`query_bytes` of it.

>>> fuzz_queries(13, 5) == fuzz_queries(13, 5)
True
>>> len(fuzz_queries(1, 20))
20
>>> query_bytes("ASK {}" + "\\udcff")
b'ASK {}\\xff'
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable

from graph.core.namespaces import sparql_prefixes
from graph.views.examples import gallery
from tests.w3c_syntax import syntax_tests

SINK = "http://127.0.0.1:9/internal"
"""A loopback address a smuggled ``SERVICE`` call would reach (port 9, where nothing listens)."""

ID = "https://w3id.org/twinning-kg/id/authority/"
_PREFIXES = sparql_prefixes()


def _doublings(times: int, rows: int) -> str:
    """Issue 13, finding 2: a 32-character string doubled ``times`` times on ``rows`` rows."""
    binds = "".join(f" BIND(CONCAT(?v{i},?v{i}) AS ?v{i + 1})" for i in range(times))
    values = " ".join(str(i) for i in range(rows))
    return (f'SELECT ?v{times} WHERE {{ VALUES ?r {{ {values} }} '
            f'BIND("0123456789abcdef0123456789abcdef" AS ?v0){binds} }}')


def _in_list(items: int) -> str:
    """Issue 13, finding 3: a long ``IN`` list (guard parsing outside the time limit)."""
    return "ASK { ?s ?p ?o FILTER(?o IN (" + ",".join(map(str, range(items))) + ")) }"


def _patterns(count: int) -> str:
    """Issue 13, finding 6: many triple patterns in one group (on predicates no data has, so
    that the answer is empty in any join order rather than a product of the patterns)."""
    return "SELECT * WHERE { " + " ".join(f"?s <http://e/p{i}> ?o{i} ." for i in range(count)) \
        + " }"


def _parentheses(depth: int) -> str:
    """Issue 13, finding 6: nested parentheses."""
    return "SELECT ?x WHERE { BIND(" + "(" * depth + "1" + ")" * depth + " AS ?x) }"


FINDINGS: tuple[str, ...] = (
    # 1. SSRF past the guard: an escaped local name the old guard's lexer misread.
    "PREFIX ex: <http://e/> SELECT ?secret WHERE { { ?a ?b ex:a\\# } UNION "
    f"{{ SERVICE <{SINK}> {{ ?secret ?p ?o }} }} }}",
    "PREFIX ex: <http://e/> SELECT ?secret WHERE { { ?a ?b ex:a\\' } UNION "
    f"{{ SERVICE <{SINK}> {{ ?secret ?p ?o }} }} }}",
    "PREFIX ex: <http://e/> SELECT ?secret WHERE { { ?a ?b ex:a\\' . ?a ?b ex:c\\~d } UNION "
    f"{{ SERVICE <{SINK}> {{ ?secret ?p ?o }} }} }} # '",
    f"SELECT * WHERE {{ \\u0053ERVICE <{SINK}> {{ ?s ?p ?o }} }}",
    f"SELECT * WHERE {{ SERV\\u0049CE SILENT <{SINK}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE { SERVICE <http\\u003A//127.0.0.1:9/internal> { ?s ?p ?o } }",
    "SELECT * WHERE { SERVICE <http://127.0.0.1:9/%69nternal> { ?s ?p ?o } }",
    "PREFIX loop: <http://127.0.0.1:9/> SELECT * WHERE { SERVICE loop:internal { ?s ?p ?o } }",
    "PREFIX loop: <http://127.0.0.1:9/> SELECT * WHERE { SERVICE loop:in%74ernal { ?s ?p ?o } }",
    "PREFIX loop: <http://127.0.0.1:9/> SELECT * WHERE { SERVICE loop:\\#x { ?s ?p ?o } }",
    "BASE <http://127.0.0.1:9/> SELECT * WHERE { SERVICE <internal> { ?s ?p ?o } }",
    f"SELECT * WHERE {{ VALUES ?u {{ <{SINK}> }} SERVICE ?u {{ ?s ?p ?o }} }}",
    f"SELECT * WHERE {{ {{ SELECT * {{ SERVICE <{SINK}> {{ ?s ?p ?o }} }} }} }}",
    f"ASK {{ FILTER EXISTS {{ SERVICE <{SINK}> {{ ?s ?p ?o }} }} }}",
    # 2. Answer bytes (kept small here; the full 16 x 64 form is among the heavy seeds).
    _doublings(8, 4),
    # 6. Larger legitimate queries.
    _patterns(100),
    _parentheses(50),
    # 9. javascript: IRIs; 13. FROM; updates sent as queries.
    'SELECT ?x WHERE { BIND(IRI("javascript:alert(1)//") AS ?x) }',
    "SELECT * FROM <https://w3id.org/twinning-kg/id/graph/curated> WHERE { ?s ?p ?o } LIMIT 5",
    "INSERT DATA { <http://e/a> <http://e/b> <http://e/c> }",
    f"LOAD <{SINK}>",
    "CLEAR ALL",
    "DROP ALL",
    # Functions and literals engines disagree on.
    "PREFIX : <http://example/> SELECT (:abs(1) AS ?x) {}",
    'SELECT ?x WHERE { BIND(<http://www.w3.org/2001/XMLSchema#integer>("1e999") AS ?x) }',
    "SELECT * WHERE { ?s ?p ?o } LIMIT 99999999999999999999999 OFFSET 99999999999999999999",
    'SELECT ?x WHERE { BIND(REGEX("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!", "(a+)+$") AS ?x) }',
    'SELECT ?x WHERE { BIND(STRLEN(REPLACE("abc", "", "x")) AS ?x) }',
    'SELECT ?x WHERE { BIND("\\uD800" AS ?x) }',
    'SELECT ?x WHERE { BIND("\\U0010FFFF\\U00110000" AS ?x) }',
    "DESCRIBE ?x WHERE { ?x ?p ?o }",
)

HEAVY: tuple[str, ...] = (
    _doublings(16, 64),
    _in_list(10_000),
    "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
    "SELECT ?x WHERE { BIND(\"" + "x" * 1_100_000 + "\" AS ?x) }",
    _patterns(1_000),
)
"""Seeds that cost the server real work or memory: picked rarely (see :func:`fuzz_queries`)."""

EVERYDAY: tuple[str, ...] = (
    _PREFIXES + f"SELECT ?partner ?label WHERE {{ <{ID}pl/swarzędz> tkg:twinnedWith ?partner . "
    "?partner rdfs:label ?label } ORDER BY ?label",
    _PREFIXES + f"DESCRIBE <{ID}pl/swarzędz>",
    _PREFIXES + 'SELECT ?a ?label WHERE { ?a a tkg:Municipality ; rdfs:label ?label . '
    'FILTER(CONTAINS(LCASE(?label), "berg")) } LIMIT 100',
    _PREFIXES + 'CONSTRUCT { ?p a tkg:Partnership ; tkg:participant ?a } WHERE { '
    '?p a tkg:Partnership ; tkg:participant ?a . ?a tkg:countryCode "PL" }',
    _PREFIXES + "ASK { ?s tkg:twinnedWith ?o }",
)


def seed_queries() -> list[str]:
    """Every seed but the heavy ones, in a fixed order: the gallery, the W3C syntax tests,
    the findings of issue 13 and everyday queries."""
    return ([e.query for e in gallery()] + [t.query for t in syntax_tests()] +
            list(FINDINGS) + list(EVERYDAY))


_TOKEN = re.compile(
    r"""<[^<>"{}|^`\\\s]*>|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|[?$]\w+"""
    r"""|[A-Za-z_][\w.-]*:(?:[\w%:-]|\\.)*|:(?:[\w%:-]|\\.)*|\w+|\s+|.""", re.S)
_WORDS = ("SELECT", "WHERE", "SERVICE", "SILENT", "OPTIONAL", "UNION", "MINUS", "GRAPH", "FILTER",
          "BIND", "VALUES", "EXISTS", "NOT", "AS", "{", "}", "(", ")", ".", ";", ",", "*", "#",
          "\\", "'", '"', "<", ">", "@en", "^^", "a", "?x", "$y", "_:b", "[]", "()", "UNDEF",
          "GROUP BY", "ORDER BY", "LIMIT 1", "HAVING", "PREFIX", "BASE", "FROM", "NAMED",
          "COUNT(*)", "<http://127.0.0.1:9/>", "ex:a\\#", "ex:a\\'", ":\\~", "%2", "%zz", "\\u",
          "\\U0000", "\u0000", "\ufeff", "\u202e", "\U0001f600", "\udcff", "\udc80")
_ESCAPE_CHARS = "#'~.-!$&()*+,;=/?@%_"


def _tokens(query: str) -> list[str]:
    return _TOKEN.findall(query)


def _solid(tokens: list[str], rng: random.Random) -> int | None:
    """Index of a random token that is not whitespace, or None."""
    indices = [i for i, t in enumerate(tokens) if not t.isspace()]
    return rng.choice(indices) if indices else None


def _delete(query: str, rng: random.Random) -> str:
    tokens = _tokens(query)
    i = _solid(tokens, rng)
    if i is not None:
        del tokens[i:i + rng.choice((1, 1, 1, 2, 3))]
    return "".join(tokens)


def _repeat(query: str, rng: random.Random) -> str:
    tokens = _tokens(query)
    i = _solid(tokens, rng)
    if i is not None:
        times = rng.choice((2, 2, 3, 5, 50)) if rng.random() > 0.02 else 5_000
        tokens[i] = " ".join([tokens[i]] * times)
    return "".join(tokens)


def _swap(query: str, rng: random.Random) -> str:
    tokens = _tokens(query)
    i, j = _solid(tokens, rng), _solid(tokens, rng)
    if i is not None and j is not None:
        tokens[i], tokens[j] = tokens[j], tokens[i]
    return "".join(tokens)


def _insert(query: str, rng: random.Random) -> str:
    tokens = _tokens(query)
    at = rng.randrange(len(tokens) + 1)
    tokens[at:at] = [" ", rng.choice(_WORDS), " "]
    return "".join(tokens)


def _unicode_escape(text: str, rng: random.Random) -> str:
    """Some letters of ``text`` as ``\\uXXXX`` or ``\\UXXXXXXXX`` (SPARQL's codepoint escapes,
    which apply anywhere in a query)."""
    out = []
    for ch in text:
        if ch.isalnum() and rng.random() < 0.4:
            out.append(f"\\u{ord(ch):04X}" if rng.random() < 0.7 else f"\\U{ord(ch):08X}")
        else:
            out.append(ch)
    return "".join(out)


def _escape(query: str, rng: random.Random) -> str:
    """Escapes in a keyword, a prefixed name, an IRI or a string."""
    tokens = _tokens(query)
    kinds = {
        "keyword": [i for i, t in enumerate(tokens) if t.isalpha() and t.isupper()],
        "pname": [i for i, t in enumerate(tokens) if ":" in t and not t.startswith(("<", '"'))],
        "iri": [i for i, t in enumerate(tokens) if t.startswith("<") and t.endswith(">")],
        "string": [i for i, t in enumerate(tokens) if t[:1] in "\"'" and len(t) > 1],
    }
    kind = rng.choice([k for k, found in kinds.items() if found] or ["none"])
    if kind == "none":
        return _insert(query, rng)
    i = rng.choice(kinds[kind])
    token = tokens[i]
    if kind == "keyword":
        tokens[i] = _unicode_escape(token, rng)
    elif kind == "pname":
        prefix, _, local = token.partition(":")
        style = rng.randrange(4)
        if style == 0:  # a backslash escape SPARQL allows (PN_LOCAL_ESC)
            local += "\\" + rng.choice(_ESCAPE_CHARS)
        elif style == 1:  # percent escapes, valid and not
            local += rng.choice(("%41", "%7e", "%2", "%zz", "%%", "%00"))
        elif style == 2:  # a backslash escape SPARQL does not allow
            local += "\\" + rng.choice("\"<>{}`|^ \\nqu")
        else:
            local = _unicode_escape(local, rng)
        tokens[i] = f"{prefix}:{local}"
    elif kind == "iri":
        body = token[1:-1]
        style = rng.randrange(3)
        if style == 0:
            body = _unicode_escape(body, rng)
        elif style == 1:
            body = "".join(f"%{ord(c):02x}" if c.isalpha() and rng.random() < 0.3 else c
                           for c in body)
        else:
            body = rng.choice(("http://127.0.0.1:9/internal", "http://[::1]:9/", "file:///etc/passwd",
                               "javascript:alert(1)", "http://0x7f000001:9/", body + " x"))
        tokens[i] = f"<{body}>"
    else:
        quote, body = token[0], token[1:-1]
        body += rng.choice(("\\" + quote, "\\u00", "\\U0011FFFF", "\\uDC00", "\\x41", "\\",
                            "\\t\\b\\n\\r\\f", "\n", '"""', "'''", "\\u0022"))
        tokens[i] = quote + body + quote
    return "".join(tokens)


def _nest(query: str, rng: random.Random) -> str:
    """Deep nesting of groups, parentheses, OPTIONAL or subqueries around a query's group."""
    depth = rng.choice((10, 30, 64, 128, 200)) if rng.random() > 0.05 else \
        rng.choice((1_000, 5_000, 20_000))
    style = rng.randrange(4)
    if style == 0:
        body = "{ " * depth + "?s ?p ?o" + " }" * depth
        return f"SELECT * WHERE {body} LIMIT 1"
    if style == 1:
        return "SELECT ?x WHERE { BIND(" + "(" * depth + "1" + ")" * depth + " AS ?x) }"
    if style == 2:
        body = "OPTIONAL { ?s ?p ?o " * depth + "}" * depth
        return "SELECT * WHERE { " + body + " } LIMIT 1"
    start = query.find("{")
    end = query.rfind("}")
    if start < 0 or end < start:
        return "{" * depth + query + "}" * depth
    inner = query[start:end + 1]
    for _ in range(min(depth, 200)):
        inner = "{ SELECT * WHERE " + inner + " }"
    return query[:start] + inner + query[end + 1:]


def _huge(query: str, rng: random.Random) -> str:
    """A huge literal, list, VALUES block or group put into (or in place of) the query."""
    rare = rng.random() < 0.1
    size = rng.choice((50_000, 300_000, 1_200_000)) if rare else rng.choice((100, 1_000, 5_000))
    style = rng.randrange(5)
    if style == 0:
        literal = '"' + rng.choice("xé\\u0041") * (size // 3 + 1) + '"'
        return f"SELECT ?x WHERE {{ BIND({literal} AS ?x) }}"
    if style == 1:
        return _in_list(min(size, 20_000))
    if style == 2:
        rows = " ".join(f"({i} \"{i}\")" for i in range(min(size, 20_000)))
        return f"SELECT * WHERE {{ VALUES (?a ?b) {{ {rows} }} }} LIMIT 3"
    if style == 3:  # the engine's planning time grows fast with the patterns (see HEAVY)
        return _patterns(300 if rare else 100)
    return query + " #" + "x" * size


def _random_bytes(query: str, rng: random.Random) -> str:
    """Random bytes, control characters or invalid UTF-8 at a random place."""
    at = rng.randrange(len(query) + 1)
    junk = "".join(chr(0xDC00 + b) if b >= 0x80 else chr(b)
                   for b in rng.randbytes(rng.choice((1, 3, 8, 40))))
    return query[:at] + junk + query[at:]


def _encoding(query: str, rng: random.Random) -> str:
    """The query's bytes in another encoding (UTF-16, Latin-1, overlong or CESU-8 UTF-8, a BOM)
    held as surrogate-escaped text, so that :func:`query_bytes` sends those bytes."""
    style = rng.randrange(5)
    if style == 0:
        raw = query.encode("utf-16", "surrogatepass")
    elif style == 1:
        raw = query.encode("latin-1", "replace")
    elif style == 2:
        raw = query_bytes(query).replace(b"/", b"\xc0\xaf").replace(b"{", b"\xc1\xbb")
    elif style == 3:
        raw = "\ud83d\ude00".join(query.split(" ", 2)).encode("utf-8", "surrogatepass")
    else:
        raw = b"\xef\xbb\xbf" + query_bytes(query)
    return raw.decode("utf-8", "surrogateescape")


_MUTATIONS: tuple[tuple[Callable[[str, random.Random], str], int], ...] = (
    (_delete, 14), (_repeat, 10), (_swap, 10), (_insert, 12), (_escape, 22), (_nest, 6),
    (_huge, 3), (_random_bytes, 6), (_encoding, 4),
)


def fuzz_queries(seed: int, count: int) -> list[str]:
    """``count`` queries mutated from the seed queries, the same for the same ``seed``.

    One query in twenty is a seed as it stands; the others have one to three mutations. One
    in 500 starts from a :data:`HEAVY` seed (an answer-bytes bomb, a 10,000-item list, a
    three-way product, a 1 MB literal, 1,000 triple patterns).
    """
    rng = random.Random(seed)  # noqa: S311 - reproducible on purpose; nothing here is secret
    seeds = seed_queries()
    functions = [f for f, _ in _MUTATIONS]
    weights = [w for _, w in _MUTATIONS]
    queries = []
    for _ in range(count):
        query = rng.choice(HEAVY) if rng.random() < 0.002 else rng.choice(seeds)
        if rng.random() >= 0.05:
            for mutate in rng.choices(functions, weights, k=rng.choice((1, 1, 2, 3))):
                query = mutate(query, rng)
        queries.append(query)
    return queries


def query_bytes(query: str) -> bytes:
    """The bytes to send for ``query``: UTF-8, with U+DC80..U+DCFF standing for the raw bytes
    0x80..0xFF and any other lone surrogate encoded as it is (invalid UTF-8 on purpose)."""
    try:
        return query.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return b"".join(bytes([ord(c) - 0xDC00]) if 0xDC80 <= ord(c) <= 0xDCFF
                        else c.encode("utf-8", "surrogatepass") for c in query)
