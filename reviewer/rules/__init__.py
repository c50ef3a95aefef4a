"""The rules. Every module in this package is imported once, so the registry is complete; adding a
rule family is adding a module. (The directory is listed with os, in pkgutil.iter_modules's order
— sorted file names — since pkgutil's listing imports inspect, a tenth of a cold start.)"""

import importlib
import os

from reviewer.rules.base import REGISTRY, Context, Rule, active_rules, all_rules

for _file in sorted(os.listdir(os.path.dirname(os.path.abspath(__file__)))):
    _name, _ext = os.path.splitext(_file)
    if _ext == ".py" and _name.isidentifier() and _name not in ("__init__", "base"):
        importlib.import_module(f"{__name__}.{_name}")

__all__ = ["REGISTRY", "Context", "Rule", "active_rules", "all_rules"]
