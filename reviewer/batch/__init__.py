"""Batch audits: ``review batch PATH... --out DIR`` (reviewer.batch.run).

Imported only by the batch command: a plain ``review report.txt`` never loads it.
"""

from reviewer.batch.run import Batch, BatchReport, config_key
from reviewer.batch.runner import EngineSpec

__all__ = ["Batch", "BatchReport", "EngineSpec", "config_key"]
