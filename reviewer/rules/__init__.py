"""The rules. Every module in this package is imported once, so the registry is complete; adding a
rule family is adding a module."""

import importlib
import pkgutil

from reviewer.rules.base import REGISTRY, Context, Rule, active_rules, all_rules

for _mod in pkgutil.iter_modules(__path__):
    if _mod.name != "base":
        importlib.import_module(f"{__name__}.{_mod.name}")

__all__ = ["REGISTRY", "Context", "Rule", "active_rules", "all_rules"]
