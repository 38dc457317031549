"""Knowledge-base benchmark: a synthetic 10,000 hubs and 50,000 calls, the assistant's query
patterns timed on SQLite and PostgreSQL (p50/p95 per pattern per backend).

    python -m bench.kb_bench [--backends sqlite,postgresql] [--json OUT]

Not a timed test: it reports figures. Target: typo-tolerant name lookup p95 < 10 ms.
``run()`` is what the overall benchmark suite calls. The SQLite database is kept next to the
JSON output (its URL is in the result as ``sqlite_url``) so later parts can reuse it.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import insert

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:  # `python bench/kb_bench.py`
    sys.path.insert(0, str(REPO))

from knowledge import migrate  # noqa: E402
from knowledge.db import make_engine  # noqa: E402
from knowledge.importer import bump_revision, contact_links, organisation_terms  # noqa: E402
from knowledge.languages import SUPPORTED as LANGS  # noqa: E402
from knowledge.models import Call, Contact, Organisation, OrganisationTerm, Source  # noqa: E402
from knowledge.place_tree import PlaceTree  # noqa: E402
from knowledge.query import KnowledgeBase  # noqa: E402
from knowledge.text import fold  # noqa: E402
from knowledge.timeutil import bounds  # noqa: E402
from ops.scratch_postgres import create_database, sqlalchemy_url, unreachable_reason  # noqa: E402

N_HUBS = 10_000
N_CALLS = 50_000
NOW = datetime(2024, 3, 1, 12, 0, tzinfo=timezone.utc)
# The synthetic places are not in places.yaml: each gets the id made from its name.
NO_PLACES = PlaceTree([])

SYLLABLES = (
    "vos lyck se le rø ros ume å skel lef te brö hol mal ka ber gen strand vik dal fjord sund "
    "heim by bruk vil le mont lac riv ière ou kas ba tad la fès ra bat ker kamp dorp veld gem "
    "lil tour rou baix ment gaard borg ås näs ö kir ke nes hamn sj ø mar ra kech tan ger oud "
    "en aar de bos ch an tw erp"
).split()
HUB_TEMPLATES = {
    "nb": ("{p} Næringshage", "Næringshagen i {p}", "{p} Innovasjonssenter", "Kunnskapsparken {p}"),
    "sv": ("Innovationsarena {p}", "{p} Företagspark", "Coompanion {p}", "{p} Science Park"),
    "fr": ("Pôle régional d'innovation de {p}", "Technopole {p}", "Incubateur {p}", "Cluster {p}"),
    "nl": ("Innovatieplatform {p}", "{p} Bedrijvencentrum", "Kenniscluster {p}", "Campus {p}"),
    "en": ("{p} Innovation Hub", "{p} Science Park", "{p} Digital Cluster", "{p} Growth Hub"),
    "ar": ("حاضنة أعمال {p}", "قطب الابتكار {p}", "{p} مجمع التكنولوجيا", "مسرعة {p}"),
}
COUNTRIES = {
    "nb": ("NO",),
    "sv": ("SE",),
    "fr": ("FR", "CA", "MA", "BE"),
    "nl": ("NL", "BE"),
    "en": ("GB", "IE"),
    "ar": ("MA", "TN", "EG"),
}
KINDS = ("regional_hub", "business_garden", "cluster", "innovation_arena", "innovation_platform")
#: sector names in (en, fr, nb, nl, sv, ar)
_SECTOR_NAMES = (
    (
        "logistics",
        "logistique",
        "logistikk",
        "logistiek",
        "logistik",
        "اللوجستيات",
    ),
    (
        "health",
        "santé",
        "helse",
        "gezondheid",
        "hälsa",
        "الصحة",
    ),
    (
        "agri-food",
        "agroalimentaire",
        "landbruk og mat",
        "agrovoeding",
        "livsmedel",
        "الصناعات الغذائية",
    ),
    (
        "textiles and materials",
        "textiles et matériaux",
        "tekstil og materialer",
        "textiel en materialen",
        "textil och material",
        "النسيج والمواد",
    ),
    (
        "digital technology",
        "technologies numériques",
        "digital teknologi",
        "digitale technologie",
        "digital teknik",
        "التكنولوجيا الرقمية",
    ),
    (
        "energy",
        "énergie",
        "energi",
        "energie",
        "energi",
        "الطاقة",
    ),
    (
        "tourism",
        "tourisme",
        "reiseliv",
        "toerisme",
        "turism",
        "السياحة",
    ),
    (
        "ocean industries",
        "industries maritimes",
        "havnæringer",
        "maritieme industrie",
        "havsnäringar",
        "الصناعات البحرية",
    ),
)
SECTORS = [dict(zip(LANGS, names, strict=True)) for names in _SECTOR_NAMES]
CALL_TEMPLATES = {
    "en": "Call for {s} projects {p} {y}",
    "fr": "Appel à projets {s} {p} {y}",
    "nb": "Utlysning {s} {p} {y}",
    "nl": "Oproep {s} {p} {y}",
    "sv": "Utlysning {s} {p} {y}",
    "ar": "دعوة لتقديم مشاريع {s} {p} {y}",
}
ZONES = ("Europe/Oslo", "Europe/Stockholm", "Europe/Paris", "Europe/Brussels",
         "America/Toronto", "Africa/Casablanca", "Europe/London", "Africa/Cairo")  # fmt: skip
MESSAGES = {
    "en": ("what does {n} offer?", "who do I contact at {n} please", "is {n} open for startups?"),
    "fr": ("quand est la date limite pour {n} ?", "qui contacter chez {n}", "{n} c'est où ?"),
    "nb": ("hva tilbyr {n}?", "hvem kan jeg ringe hos {n}", "er {n} åpen?"),
    "nl": ("wat biedt {n} aan?", "wie kan ik bellen bij {n}?", "waar is {n}?"),
    "sv": ("vad erbjuder {n}?", "vem kontaktar jag på {n}?", "när är {n} öppen?"),
    "ar": ("ماذا تقدم {n}؟", "من أتصل به في {n}؟", "أين {n}؟"),
}


def _place(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


def _typo(rng: random.Random, text: str) -> str:
    """One keyboard slip in one longer word, sometimes accents dropped and lower-cased."""
    words = text.split()
    long_words = [i for i, w in enumerate(words) if len(w) >= 5]
    if long_words:
        i = rng.choice(long_words)
        w = words[i]
        j = rng.randrange(1, len(w) - 1)
        op = rng.choice(("swap", "drop", "replace", "double"))
        if op == "swap":
            w = w[:j] + w[j + 1] + w[j] + w[j + 2 :]
        elif op == "drop":
            w = w[:j] + w[j + 1 :]
        elif op == "replace":
            w = w[:j] + rng.choice("aeiourstnl") + w[j + 1 :]
        else:
            w = w[:j] + w[j] + w[j:]
        words[i] = w
    out = " ".join(words)
    return fold(out) if rng.random() < 0.5 else out


def build_rows(seed: int = 7) -> dict[str, list[dict]]:
    """Synthetic, realistic-looking multilingual rows (deterministic for a seed)."""
    rng = random.Random(seed)
    places = sorted({_place(rng) for _ in range(4000)})
    regions = [
        f"{_place(rng)}{rng.choice(['land', 'shire', 'region', 'fylke', 'län'])}"
        for _ in range(150)
    ]
    orgs, terms, calls, contacts = [], [], [], []
    for i in range(N_HUBS):
        lang = LANGS[i % len(LANGS)]
        place = places[rng.randrange(len(places))]
        name = rng.choice(HUB_TEMPLATES[lang]).format(p=place)
        sectors = [
            {"original": "en", **s, "machine": [x for x in LANGS if x != "en"]}
            for s in rng.sample(SECTORS, rng.randint(1, 3))
        ]
        acronym = "".join(w[0] for w in fold(name).split() if w).upper()
        org = {
            "id": f"hub-{i:05d}",
            "source_id": "bench-source",
            "position": i,
            "kind": rng.choice(KINDS),
            "name": {"original": lang, lang: name},
            "aliases": [f"{acronym} {place}"],
            "short_name": None,
            "country": rng.choice(COUNTRIES[lang]),
            "region": {"original": lang, lang: rng.choice(regions)},
            "municipalities": [place]
            + ([places[rng.randrange(len(places))]] if rng.random() < 0.3 else []),
            "address": None,
            "languages": [lang],
            "sectors": sectors,
            "services": [],
            "parent_id": None,
            "members": [],
            "website": None,
            "description": {"original": lang, lang: f"{name}: {sectors[0][lang]}"},
            "evidence": {"name": name},
            "extra": {},
        }
        orgs.append(org)
        terms.extend(organisation_terms(org, NO_PLACES))
    for i in range(N_CALLS):
        issuer = orgs[rng.randrange(N_HUBS)]
        lang = issuer["name"]["original"]
        place = issuer["municipalities"][0]
        sector = rng.choice(SECTORS)
        year = rng.randint(2015, 2030)
        title = {
            "original": lang,
            lang: CALL_TEMPLATES[lang].format(s=sector[lang], p=place, y=year),
        }
        if lang != "en":
            title["en"] = CALL_TEMPLATES["en"].format(s=sector["en"], p=place, y=year)
            title["machine"] = ["en"]
        zone = rng.choice(ZONES)
        roll = rng.random()
        day = datetime(year, 1, 1) + timedelta(
            days=rng.randrange(365), hours=rng.choice((9, 12, 15, 23))
        )
        if roll < 0.6:
            deadline = {"at": day.strftime("%Y-%m-%dT%H:%M"), "timezone": zone}
        elif roll < 0.85:
            deadline = {"date": day.date().isoformat(), "timezone": zone}
        elif roll < 0.95:
            deadline = {"year": year, "month": day.month}
        else:
            deadline = None
        opens = None
        if deadline and rng.random() < 0.4:
            start = day - timedelta(days=rng.randint(20, 120))
            opens = {"date": start.date().isoformat(), "timezone": zone}
        o_lo, o_hi = bounds(opens, end=False)
        d_lo, d_hi = bounds(deadline, end=True)
        calls.append(
            {
                "id": f"call-{i:05d}", "source_id": "bench-source", "position": i, "title": title,
                "issuer_id": issuer["id"], "programme_id": None, "year": year,
                "opens": opens, "opens_earliest": o_lo, "opens_latest": o_hi,
                "deadline": deadline, "deadline_earliest": d_lo, "deadline_latest": d_hi,
                "timezone": (deadline or {}).get("timezone"), "who_may_apply": None,
                "how_to_apply": None, "application_file": None, "application_url": None,
                "applications_received": None, "contacts": [], "evidence": {"title": title[lang]},
                "extra": {},
            }
        )  # fmt: skip
    first = "Anna Lars Fatima Jean Ingrid Pieter Sofie Youssef Marie Erik".split()
    last = "Hansen Berg Dupont Janssens Lindqvist Alaoui Tremblay Olsen Peeters Nilsson".split()
    for i in range(N_HUBS // 2):
        org = orgs[i * 2]
        contacts.append(
            {
                "id": f"contact-{i:05d}", "source_id": "bench-source", "position": i,
                "person": f"{rng.choice(first)} {rng.choice(last)}", "role": None,
                "organisation_id": org["id"], "phones": ["+47 22 24 25 00"],
                "email": f"contact{i}@example.org", "responsible_for": [org["id"]],
                "evidence": {}, "extra": {},
            }
        )  # fmt: skip
    return {"organisations": orgs, "terms": terms, "calls": calls, "contacts": contacts}


def fill(engine, rows: dict[str, list[dict]]) -> float:
    """Create the schema and bulk-insert the rows; returns seconds taken."""
    started = time.perf_counter()
    migrate.upgrade(engine)
    with engine.begin() as conn:
        conn.execute(
            insert(Source).values(
                id="bench-source", file=None, language="en",
                title={"original": "en", "en": "Synthetic benchmark content"},
                publisher=None, published=None, url=None, position=0,
            )
        )  # fmt: skip
        for model, key in (
            (Organisation, "organisations"),
            (OrganisationTerm, "terms"),
            (Call, "calls"),
            (Contact, "contacts"),
        ):
            data = rows[key]
            for i in range(0, len(data), 2000):
                conn.execute(insert(model), data[i : i + 2000])
        from knowledge.models import ContactLink

        conn.execute(insert(ContactLink), contact_links(rows["contacts"], []))
        bump_revision(conn)
    return time.perf_counter() - started


def _summary(samples: Sequence[float], hits: int | None = None) -> dict:
    ms = sorted(s * 1000 for s in samples)

    def pct(q: float) -> float:
        pos = (len(ms) - 1) * q
        lo, hi = int(pos), min(int(pos) + 1, len(ms) - 1)
        return round(ms[lo] + (ms[hi] - ms[lo]) * (pos - lo), 3)

    out = {"count": len(ms), "p50_ms": pct(0.5), "p95_ms": pct(0.95), "max_ms": round(ms[-1], 3)}
    if hits is not None:
        out["hit_rate"] = round(hits / len(ms), 3)
    return out


def _time(fn: Callable, items: Sequence, check: Callable | None = None) -> dict:
    samples, hits = [], 0
    for item in items:
        t = time.perf_counter()
        result = fn(item)
        samples.append(time.perf_counter() - t)
        if check is not None and check(item, result):
            hits += 1
    return _summary(samples, hits if check else None)


def measure(kb: KnowledgeBase, rows: dict, progress: Callable[[str], None], seed: int = 11) -> dict:
    """Time each query pattern of the assistant on a filled knowledge base."""
    rng = random.Random(seed)
    orgs, calls, contacts = rows["organisations"], rows["calls"], rows["contacts"]
    t = time.perf_counter()
    kb.name_index()
    build = time.perf_counter() - t
    index = kb.name_index()
    progress(f"  name index: {len(index)} name forms in {build:.2f} s")
    results: dict = {"index_build_s": round(build, 3), "index_forms": len(index)}

    def name_of(rec: dict) -> str:
        text = rec.get("name") or rec["title"]
        return text[text["original"]]

    targets = [(o["id"], name_of(o)) for o in rng.sample(orgs, 200)]
    targets += [(c["id"], name_of(c)) for c in rng.sample(calls, 100)]
    targets += [(p["id"], p["person"]) for p in rng.sample(contacts, 50)]
    typo_queries = [(rid, _typo(rng, name)) for rid, name in targets]
    for q in typo_queries[:3]:
        kb.search(q[1])  # warm up
    results["search_typo"] = _time(
        lambda q: kb.search(q[1], limit=5),
        typo_queries,
        lambda q, res: any(m.id == q[0] for m in res),
    )
    # contacts share names (synthetic first + last), so count a hit only for hubs and calls
    results["search_typo"]["hit_rate_hubs_calls"] = round(
        sum(any(m.id == rid for m in kb.search(q, limit=5)) for rid, q in typo_queries[:300]) / 300,
        3,
    )
    progress(f"  search_typo p95 {results['search_typo']['p95_ms']} ms")
    messages = []
    for o in rng.sample(orgs, 200):
        lang = o["name"]["original"]
        messages.append((o["id"], rng.choice(MESSAGES[lang]).format(n=_typo(rng, name_of(o)))))
    results["mentions"] = _time(
        lambda m: kb.mentions(m[1], limit=5),
        messages,
        lambda m, res: any(x.id == m[0] for x in res),
    )
    progress(f"  mentions p95 {results['mentions']['p95_ms']} ms")
    municipalities = [rng.choice(o["municipalities"]) for o in rng.sample(orgs, 100)]
    results["hubs_by_municipality"] = _time(
        lambda m: kb.hubs(municipality=m, lang="en", limit=20), municipalities
    )
    combos = [(rng.choice(orgs)["country"], rng.choice(SECTORS)) for _ in range(60)]
    results["hubs_by_country_sector"] = _time(
        lambda c: kb.hubs(country=c[0], sector=c[1][rng.choice(LANGS[:5])], lang="en", limit=20),
        combos,
    )
    statuses = ["open", "upcoming", "closed"] * 20
    results["calls_by_status"] = _time(
        lambda s: kb.calls(status=s, now=NOW, lang="en", limit=20), statuses
    )
    progress(f"  calls_by_status p95 {results['calls_by_status']['p95_ms']} ms")
    results["call_by_id"] = _time(lambda c: kb.call(c["id"], "fr", now=NOW), rng.sample(calls, 200))
    results["organisation_by_id"] = _time(
        lambda o: kb.organisation(o["id"], "nb"), rng.sample(orgs, 200)
    )
    results["contacts_for"] = _time(lambda o: kb.contacts_for(o["id"], "en"), rng.sample(orgs, 100))
    results["revision"] = _time(lambda _: kb.revision(), range(200))
    return results


def _pg_database() -> tuple[str, Callable[[], None]] | None:
    reason = unreachable_reason(timeout_s=3)
    if reason:
        print(f"postgresql: skipped ({reason})", file=sys.stderr)
        return None
    name, drop = create_database("hubguide_bench")
    return sqlalchemy_url(name), drop


def _paths(out: str | Path | None) -> tuple[Path | None, Path]:
    """(JSON file or None, folder for the SQLite database)."""
    if out is None:
        folder = REPO / "bench" / "work" / "kb"
        return None, folder
    out = Path(out)
    if out.suffix == ".json":
        return out, out.parent
    return out / "kb_bench.json", out


def run(backends: Sequence[str] = ("sqlite", "postgresql"), out: str | Path | None = None) -> dict:
    """Build the synthetic knowledge base on each backend, time the query patterns, return
    (and write to ``out``: a .json file, or a folder) p50/p95 per pattern per backend."""

    def progress(msg: str) -> None:
        print(f"[kb_bench] {msg}", file=sys.stderr, flush=True)

    json_path, folder = _paths(out)
    folder.mkdir(parents=True, exist_ok=True)
    t = time.perf_counter()
    rows = build_rows()
    progress(
        f"generated {len(rows['organisations'])} hubs, {len(rows['calls'])} calls, "
        f"{len(rows['contacts'])} contacts in {time.perf_counter() - t:.1f} s"
    )
    result: dict = {
        "sizes": {k: len(v) for k, v in rows.items()},
        "target": {"pattern": "search_typo", "p95_ms_below": 10.0},
        "backends": {},
    }
    for backend in backends:
        drop = None
        if backend == "sqlite":
            db_file = folder / "kb_bench.sqlite3"
            for suffix in ("", "-wal", "-shm"):
                Path(f"{db_file}{suffix}").unlink(missing_ok=True)
            url = f"sqlite:///{db_file.resolve()}"
            result["sqlite_url"] = url
        elif backend == "postgresql":
            made = _pg_database()
            if made is None:
                result["backends"][backend] = {"skipped": "PostgreSQL not reachable"}
                continue
            url, drop = made
        else:
            raise ValueError(f"unknown backend {backend!r}")
        progress(f"{backend}: filling")
        engine = make_engine(url)
        try:
            fill_s = fill(engine, rows)
            progress(f"{backend}: filled in {fill_s:.1f} s; measuring")
            kb = KnowledgeBase(engine)
            figures = measure(kb, rows, progress)
            figures["fill_s"] = round(fill_s, 2)
            figures["target_met"] = figures["search_typo"]["p95_ms"] < 10.0
            result["backends"][backend] = figures
        finally:
            engine.dispose()
            if drop:
                drop()
    if json_path is not None:
        json_path.parent.mkdir(parents=True, exist_ok=True)
        json_path.write_text(json.dumps(result, indent=2) + "\n")
        progress(f"wrote {json_path}")
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--json", dest="out", help="write the figures to this JSON file")
    args = parser.parse_args(argv)
    result = run([b.strip() for b in args.backends.split(",") if b.strip()], args.out)
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
