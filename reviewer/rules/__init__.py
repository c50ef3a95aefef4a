"""Every rule module, imported once so that the registry is complete."""

from reviewer.rules import formatversion, structure, tables  # noqa: F401
from reviewer.rules.base import REGISTRY, Context, Rule, active_rules, all_rules

__all__ = ["REGISTRY", "Context", "Rule", "active_rules", "all_rules"]
