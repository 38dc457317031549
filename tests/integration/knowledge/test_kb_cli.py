"""The staff CLI end to end: import, validate, export, search, show, bad input, console script."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from ops.cli import main
from ops.scratch_postgres import create_database, sqlalchemy_url, unreachable_reason

REPO = Path(__file__).resolve().parents[3]


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def url(request, tmp_path, monkeypatch):
    if request.param == "sqlite":
        value = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
        drop = None
    else:
        reason = unreachable_reason()
        if reason:
            pytest.skip(reason)
        database, drop = create_database("hubguide_cli")
        value = sqlalchemy_url(database)
    monkeypatch.setenv("HUBGUIDE_DATABASE_URL", value)
    yield value
    if drop:
        drop()


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_import_search_show_json(url, content_dir, capsys):
    code, out, _ = run(capsys, "kb", "import", str(content_dir))
    assert code == 0 and "imported" in out
    code, out, _ = run(capsys, "kb", "validate", str(content_dir))
    assert code == 0 and out.startswith("ok:")
    code, out, _ = run(capsys, "kb", "search", "clusters maroc 2023", "--type", "call", "--json")
    matches = json.loads(out)
    assert matches and matches[0]["kind"] == "call"
    code, out, _ = run(capsys, "kb", "show", matches[0]["id"], "--json", "--lang", "fr")
    call = json.loads(out)
    assert call["deadline"] == "2023-06-14T15:00:00+01:00"
    assert call["timezone"] == "Africa/Casablanca"
    assert call["source"]["file"] == "004_b849c5ac1eaad6ef.txt"
    code, out, _ = run(capsys, "kb", "show", matches[0]["id"])
    assert code == 0 and "Africa/Casablanca" in out


def test_export_round_trip_through_the_cli(url, content_dir, capsys, tmp_path):
    assert run(capsys, "kb", "import", str(content_dir))[0] == 0
    out_dir = tmp_path / "export"
    assert run(capsys, "kb", "export", str(out_dir))[0] == 0
    assert sorted(p.name for p in out_dir.glob("*.yaml")) == sorted(
        [*(p.name for p in content_dir.glob("*.yaml")), "places.yaml"]
    )
    fresh = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    assert run(capsys, "kb", "--database-url", fresh, "import", str(out_dir))[0] == 0
    again = tmp_path / "again"
    assert run(capsys, "kb", "--database-url", fresh, "export", str(again))[0] == 0
    for p in out_dir.glob("*.yaml"):
        assert (again / p.name).read_text() == p.read_text()


BAD_CASES = {
    "malformed": ("source: {id: broken\n", "malformed YAML"),
    "bad-date": (
        'deadline: {at: "2023-06-31T15:00", timezone: Africa/Casablanca}',
        "invalid date-time",
    ),
    "bad-zone": ('deadline: {at: "2023-06-14T15:00", timezone: Mars/Olympus}', "unknown time zone"),
    "negative": ("budget_total: {value: -1, currency: MAD}", "must be zero or more"),
    "language": ("title: {fr: Appel, xx: Call}", "unknown language code 'xx'"),
    "reference": ("issuer: nobody-at-all", "refers to a missing organisation 'nobody-at-all'"),
}


def _bad_file(case: str) -> str:
    body, _ = BAD_CASES[case]
    if case == "malformed":
        return body
    call = {
        "bad-date": body, "bad-zone": body, "negative": "", "language": "", "reference": "",
    }[case]  # fmt: skip
    lines = [
        "source: {id: bad-source, language: fr, title: Mauvais}",
        "organisations:",
        "  - {id: bad-org, kind: ministry, name: Org, evidence: {name: Org}}",
        "programmes:",
        "  - id: bad-programme",
        "    name: Programme",
        f"    {body if case == 'negative' else 'budget_total: {value: 5, currency: MAD}'}",
        "    evidence: {name: Programme}",
        "calls:",
        "  - id: bad-call",
        f"    {body if case == 'language' else 'title: Appel'}",
        f"    {body if case == 'reference' else 'issuer: bad-org'}",
        f"    {call or 'year: 2023'}",
        "    evidence: {title: Appel}",
    ]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("case", sorted(BAD_CASES))
def test_bad_input_is_refused_and_the_database_is_unchanged(
    url, content_dir, capsys, tmp_path, case
):
    assert run(capsys, "kb", "import", str(content_dir))[0] == 0
    before = tmp_path / "before"
    run(capsys, "kb", "export", str(before))
    (content_dir / "zz-bad.yaml").write_text(_bad_file(case), encoding="utf-8")
    code, out, err = run(capsys, "kb", "import", str(content_dir))
    assert code == 1
    assert "nothing was changed" in err
    assert "zz-bad.yaml" in err and BAD_CASES[case][1] in err
    code, _, err = run(capsys, "kb", "validate", str(content_dir / "zz-bad.yaml"))
    assert code == 1 and BAD_CASES[case][1] in err
    after = tmp_path / "after"
    run(capsys, "kb", "export", str(after))
    for p in before.glob("*.yaml"):
        assert (after / p.name).read_text() == p.read_text()
    assert not (after / "bad-source.yaml").exists()


def test_duplicate_ids_are_refused(url, content_dir, capsys):
    first = sorted(content_dir.glob("*.yaml"))[0]
    copy = content_dir / "zz-copy.yaml"
    copy.write_text(first.read_text().replace("id: ", "id: ", 1), encoding="utf-8")
    text = copy.read_text()
    import yaml

    source_id = yaml.safe_load(text)["source"]["id"]
    copy.write_text(text.replace(f"id: {source_id}", "id: zz-copy-source", 1), encoding="utf-8")
    code, _, err = run(capsys, "kb", "import", str(content_dir))
    assert code == 1 and "duplicate id" in err and "zz-copy.yaml" in err


def test_console_script_is_installed(tmp_path):
    exe = REPO / ".venv" / "bin" / "hubguide"
    if not exe.exists():
        pytest.skip("the package is not installed in .venv")
    env = {"HUBGUIDE_DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}", "PATH": "/usr/bin:/bin"}
    proc = subprocess.run(
        [str(exe), "kb", "search", "anything"], capture_output=True, text=True, env=env, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    assert "no match" in proc.stdout
    proc = subprocess.run([str(exe), "--help"], capture_output=True, text=True, timeout=120)
    assert "detect-language" in proc.stdout and "kb" in proc.stdout
