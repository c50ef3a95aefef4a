"""Extractors fill schemas.facts.NarrativeFacts from a document.

``RulesExtractor`` (patterns, offline, the default) lives in ``reviewer.extract.rules``; the LLM
extractor lives in ``reviewer.llm`` — the one module allowed to import openai/instructor — and is
imported only when a model is configured.
"""

from reviewer.extract.base import Extraction, Extractor

__all__ = ["Extraction", "Extractor"]
