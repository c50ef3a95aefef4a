"""The security properties of action.yml and the example workflow, read with pyyaml."""

from __future__ import annotations

import yaml

from reviewer.github.commands import gh_action
from tests.conftest import ROOT

ACTION = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
WORKFLOW_TEXT = (ROOT / "docs" / "example-workflow.yml").read_text(encoding="utf-8")
WORKFLOW = yaml.safe_load(WORKFLOW_TEXT)


def run_blocks(node: object) -> list[str]:
    """Every `run:` script anywhere in a YAML document."""
    if isinstance(node, dict):
        return [str(v) for k, v in node.items() if k == "run"] + [r for v in node.values() for r in run_blocks(v)]
    if isinstance(node, list):
        return [r for v in node for r in run_blocks(v)]
    return []


def test_no_expressions_inside_run() -> None:
    scripts = run_blocks(ACTION) + run_blocks(WORKFLOW)
    assert scripts and not [s for s in scripts if "${{" in s]


def test_action_is_composite_and_installs_itself() -> None:
    assert ACTION["runs"]["using"] == "composite"
    steps = ACTION["runs"]["steps"]
    install = next(s for s in steps if "pip install" in s.get("run", ""))
    assert '"$GITHUB_ACTION_PATH"' in install["run"]
    review = next(s for s in steps if s.get("id") == "review")
    assert review["run"].strip() == "python -m reviewer gh-action"  # the logic is Python
    assert all(s.get("shell") == "bash" for s in steps if "run" in s)


def test_every_input_reaches_the_program_through_env() -> None:
    review = next(s for s in ACTION["runs"]["steps"] if s.get("id") == "review")
    env = review["env"]
    used = {f"${{{{ inputs.{name} }}}}" for name in ACTION["inputs"]}
    assert set(env.values()) == used - {"${{ inputs.python-version }}"}
    read = {p.envvar for p in gh_action.params if p.envvar} | {"REVIEW_INPUT_MODEL", "REVIEW_INPUT_BASE_URL",
                                                               "REVIEW_INPUT_API_KEY", "GITHUB_TOKEN"}
    assert set(env) == read
    for name in ("files", "files-glob", "profile", "fail-on", "comment", "sarif", "model", "base-url", "api-key"):
        assert ACTION["inputs"][name]["description"]


def test_example_workflow_is_minimal_and_safe() -> None:
    triggers = WORKFLOW.get("on", WORKFLOW.get(True))  # YAML 1.1 reads a bare `on` as true
    assert set(triggers) == {"pull_request"}
    assert "pull_request_target:" not in WORKFLOW_TEXT
    assert WORKFLOW["permissions"] == {"contents": "read", "pull-requests": "write"}
    for job in WORKFLOW["jobs"].values():
        assert "permissions" not in job
        steps = job["steps"]
        checkout = next(s for s in steps if s.get("uses", "").startswith("actions/checkout@"))
        assert checkout["with"]["persist-credentials"] is False
        review = next(s for s in steps if "report-reviewer" in s.get("uses", ""))
        assert review["with"]["api-key"] == "${{ secrets.REVIEW_API_KEY }}"
        assert set(review["with"]) <= set(ACTION["inputs"])


def test_readme_shows_the_complete_workflow() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "## GitHub Action" in readme
    assert "```yaml\n" + WORKFLOW_TEXT + "```" in readme
