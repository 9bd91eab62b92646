"""axe-core in the browser: fail a test on any WCAG 2.2 AA violation, listed readably."""

import json
from pathlib import Path

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def format_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"[{violation['impact']}] {violation['id']}: {violation['help']}")
        lines.append(f"    {violation['helpUrl']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    at {', '.join(node['target'])}")
            lines.append(f"       {node['html'][:200]}")
            if node.get("failureSummary"):
                summary = node["failureSummary"].replace("\n", "\n       ")
                lines.append(f"       {summary}")
    return "\n".join(lines)


def assert_accessible(page, label: str = "") -> None:
    """Run axe-core on the page as it stands and fail on any WCAG 2.2 AA violation."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async (tags) => await axe.run(document, {
            runOnly: {type: "tag", values: tags},
            resultTypes: ["violations"],
        })""",
        WCAG_22_AA,
    )
    violations = result["violations"]
    where = label or page.url
    assert not violations, (
        f"{len(violations)} WCAG 2.2 AA violations on {where}:\n"
        + format_violations(violations)
        + "\n"
        + json.dumps([v["id"] for v in violations])
    )
