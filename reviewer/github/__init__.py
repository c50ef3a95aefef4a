"""GitHub integration: the PR comment, changed-file detection and the Action's entry point."""
