"""The catalogue as one Markdown table: ``docs/FINDINGS.md`` is generated from it.

``python -m migration_harness.report.table`` prints the table; a test checks that the
document holds exactly this text, so the docs and the codes the tool emits never disagree.
"""

from __future__ import annotations

from migration_harness.report.catalogue import RULES

HEADER = (
    "| code | kind | severity | what it means | why it matters | how to fix it "
    "| when it has this severity |\n"
    "| --- | --- | --- | --- | --- | --- | --- |"
)


def findings_markdown() -> str:
    """Every registered rule, one row each, in code order."""
    rows = [HEADER]
    for code in sorted(RULES):
        rule = RULES[code]
        cells = (
            code,
            f"`{rule.kind}`",
            rule.severity,
            rule.title,
            rule.why,
            rule.fix,
            "any runner" if rule.runners == "all" else rule.runners,
        )
        rows.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    return "\n".join(rows) + "\n"


def _cell(text: str) -> str:
    """Text that cannot break the table."""
    return text.replace("|", "\\|").replace("\n", " ")


if __name__ == "__main__":
    print(findings_markdown(), end="")
