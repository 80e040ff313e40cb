"""report: the JSON contract against its shipped schema, SARIF, and the findings table.

The JSON Schema ships in the package (``migration_harness/report/check.schema.json``); a
tiny validator for the keywords it uses checks real ``check --json`` output against it, so
the schema cannot drift from what the harness writes.
"""

from __future__ import annotations

import json
import re
import shutil
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from migration_harness.cli import cli
from migration_harness.report.catalogue import RULES
from migration_harness.report.findings import SCHEMA_VERSION
from migration_harness.report.table import findings_markdown

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
TYPES: dict[str, type | tuple[type, ...]] = {
    "object": dict,
    "array": list,
    "string": str,
    "integer": int,
    "number": (int, float),
    "boolean": bool,
    "null": type(None),
}


def schema() -> dict[str, Any]:
    text = files("migration_harness.report").joinpath("check.schema.json").read_text()
    data: dict[str, Any] = json.loads(text)
    return data


def errors(value: Any, node: dict[str, Any], root: dict[str, Any], at: str = "$") -> list[str]:
    """The subset of JSON Schema the file uses: $ref, const, enum, type, properties,
    required, items, minimum, pattern."""
    if "$ref" in node:
        name = node["$ref"].removeprefix("#/$defs/")
        return errors(value, root["$defs"][name], root, at)
    found: list[str] = []
    if "const" in node and value != node["const"]:
        found.append(f"{at}: {value!r} is not {node['const']!r}")
    if "enum" in node and value not in node["enum"]:
        found.append(f"{at}: {value!r} not in {node['enum']}")
    if "type" in node:
        names = node["type"] if isinstance(node["type"], list) else [node["type"]]
        ok = any(
            isinstance(value, TYPES[n])
            and not (n in ("integer", "number") and value is True)
            and not (n in ("integer", "number") and value is False)
            for n in names
        )
        if not ok:
            found.append(f"{at}: {value!r} is not {names}")
    if isinstance(value, dict):
        found += [f"{at}: missing {k}" for k in node.get("required", []) if k not in value]
        for key, sub in node.get("properties", {}).items():
            if key in value:
                found += errors(value[key], sub, root, f"{at}.{key}")
    if isinstance(value, list) and "items" in node:
        for i, item in enumerate(value):
            found += errors(item, node["items"], root, f"{at}[{i}]")
    if "minimum" in node and isinstance(value, int | float) and value < node["minimum"]:
        found.append(f"{at}: {value} < {node['minimum']}")
    if "pattern" in node and isinstance(value, str) and not re.search(node["pattern"], value):
        found.append(f"{at}: {value!r} does not match {node['pattern']}")
    return found


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], dict[str, Any]]:
    """JSON and SARIF of one run with errors (apply_error, data_loss) and a warning."""
    root = tmp_path_factory.mktemp("out") / "set"
    shutil.copytree(TESTS / "examples" / "rebuild_narrows_check_partly", root)
    json_out, sarif_out = root.parent / "check.json", root.parent / "check.sarif"
    result = CliRunner().invoke(
        cli,
        ["check", str(root), "--checks", "apply,apply_keeps_data,rollback", "--json",
         str(json_out), "--sarif", str(sarif_out), "--no-regressions"],
    )  # fmt: skip
    assert result.exit_code == 1, result.output
    return json.loads(json_out.read_text()), json.loads(sarif_out.read_text())


def test_real_output_validates_against_the_shipped_schema(
    outputs: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    data, _ = outputs
    assert data["findings"], "a run with findings exercises the finding schema"
    assert errors(data, schema(), schema()) == []
    assert data["schema_version"] == SCHEMA_VERSION == 2
    assert data["seed"] == 0  # the ci profile's own seed, not null


def test_the_validator_rejects_what_the_schema_forbids(
    outputs: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    data = json.loads(json.dumps(outputs[0]))
    data["findings"][0]["severity"] = "fatal"
    del data["findings"][0]["line"]
    data["seed"] = "0"
    found = errors(data, schema(), schema())
    assert len(found) == 3, found


def test_findings_carry_their_file_line_and_statement(
    outputs: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    data, _ = outputs
    failing = next(f for f in data["findings"] if f["kind"] == "apply_error")
    assert failing["file"] == "migrations/20240102000000_narrow.sql"
    assert failing["line"] == 9
    assert failing["statement"].startswith("INSERT INTO items_new")


def test_sarif_annotates_the_migration_file_at_the_statement(
    outputs: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    data, sarif = outputs
    assert sarif["version"] == "2.1.0"
    (run,) = sarif["runs"]
    assert {r["id"] for r in run["tool"]["driver"]["rules"]} >= {"MH101", "MH141", "MH153"}
    results = run["results"]
    assert len(results) == len(data["findings"])
    apply_error = next(r for r in results if r["ruleId"] == "MH101")
    assert apply_error["level"] == "error"
    location = apply_error["locations"][0]["physicalLocation"]
    # The set lies outside the working folder: relative to the set's root.
    assert location["artifactLocation"] == {
        "uri": "migrations/20240102000000_narrow.sql",
        "uriBaseId": "SETROOT",
    }
    assert location["region"] == {"startLine": 9}
    assert {r["level"] for r in results} <= {"error", "warning", "note"}


def test_sarif_uri_is_relative_to_the_working_folder_when_the_set_lies_below(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "db"
    (root / "migrations").mkdir(parents=True)
    (root / "migrations" / "0001_a.sql").write_text("CREATE TABLE a (id INTEGER PRIMARY KEY);\n")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(
        cli, ["check", "db", "--checks", "idempotent", "--sarif", "o.sarif"]
    )
    assert result.exit_code == 1, result.output  # plain sqlite files: untracked, MH111
    (found,) = json.loads((tmp_path / "o.sarif").read_text())["runs"][0]["results"]
    assert found["ruleId"] == "MH111"
    location = found["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "db/migrations/0001_a.sql"}
    assert location["region"]["startLine"] == 1


def test_findings_md_is_the_catalogue() -> None:
    text = (REPO / "docs" / "FINDINGS.md").read_text()
    assert findings_markdown() in text, "regenerate: python -m migration_harness.report.table"
    for code in RULES:
        assert f"| {code} |" in text
