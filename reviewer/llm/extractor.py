"""The LLM extractor: one request per report, bounded retries, a visible fallback to the rules.

Fault policies (tenacity), separate and bounded:

- transport: a timeout, connection error, HTTP 408/409/429 or 5xx is retried up to
  ``transport_attempts`` times in all for one request, waiting the server's ``Retry-After`` (capped
  at ``retry_after_cap``) or an exponential backoff with jitter; other statuses (401, 400, 404) are
  not retried. The SDK's own retries are off (``max_retries=0``).
- validation: an answer that is not valid facts (malformed JSON, wrong schema, a quote not in the
  report) is re-asked with the errors, up to ``validation_attempts`` answers in all. If the last
  answer is well-formed and only its quotes fail, its verifiable facts are kept and the others
  dropped with a notice.

So one report costs at most ``transport_attempts × validation_attempts`` HTTP requests. When the
model stays unavailable or keeps answering garbage, the review completes with the rules extraction,
``extractor="rules"`` and a notice; ``failures`` lists those reports (with ``strict``, --strict-llm,
the report is an error instead: ModelFailure). After
a report whose requests all failed, the next report gets one attempt only until one succeeds, so a
dead endpoint does not cost every report the full retry budget.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path

from tenacity import RetryCallState, Retrying, retry_if_exception, stop_after_attempt
from tenacity.wait import wait_random_exponential

from reviewer.budget import paused
from reviewer.errors import ModelFailure
from reviewer.extract.base import Extraction, Extractor
from reviewer.extract.rules import RulesExtractor
from reviewer.llm.cache import AnswerCache, cache_key
from reviewer.llm.config import LLMConfig
from reviewer.llm.errors import AnswerError, TransportError
from reviewer.llm.merge import quote_checker, tag
from reviewer.llm.narrative import Narrative, select_narrative
from reviewer.llm.prompt import prompt_version
from reviewer.llm.record import RecordingTransport, ReplayTransport, Transport
from reviewer.llm.request import build_request, extraction_from, usage_of
from schemas.document import Document
from schemas.facts import NarrativeFacts
from schemas.output import Usage
from schemas.profile import Profile
from schemas.tables import Tables

log = logging.getLogger("reviewer.llm")


def _retryable(e: BaseException) -> bool:
    return isinstance(e, TransportError) and e.retryable


def _reaskable(e: BaseException) -> bool:
    return isinstance(e, AnswerError) and not e.final


def transport_for(config: LLMConfig, *, record: str | Path | None = None, replay: str | Path | None = None) -> Transport:
    """The transport of a live run (HTTP), a recorded live run, or an offline replay."""
    if replay is not None:
        return ReplayTransport(replay)
    from reviewer.llm.sdk import OpenAITransport

    live = OpenAITransport(config)
    return RecordingTransport(live, record) if record is not None else live


class LLMExtractor:
    name = "llm"

    def __init__(
        self,
        config: LLMConfig,
        *,
        profile: Profile | None = None,
        rules: Extractor | None = None,
        transport: Transport | None = None,
        cache: AnswerCache | None = None,
        sleep: Callable[[float], None] = time.sleep,
        strict: bool = False,
    ) -> None:
        self.config = config
        self.strict = strict  # --strict-llm: a failure is the file's error (ModelFailure), no fallback
        self.profile = profile
        self.rules: Extractor = rules or RulesExtractor(profile)
        self._transport = transport
        self.cache = cache if cache is not None else (AnswerCache(config.cache_path) if config.cache else None)
        self.sleep = sleep
        self.failures: list[str] = []  # reports reviewed with the rules extractor because the model failed
        self._unavailable = False
        self._backoff = wait_random_exponential(multiplier=config.backoff, max=config.backoff_max)

    @property
    def transport(self) -> Transport:
        if self._transport is None:
            self._transport = transport_for(self.config)
        return self._transport

    # --- the Extractor protocol --------------------------------------------------------------
    def extract(self, doc: Document, tables: Tables) -> Extraction:
        cfg = self.config
        rules = self.rules.extract(doc, tables)
        narrative = select_narrative(doc, tables)
        usage = Usage(model=cfg.model, prompt_version=prompt_version())
        key = cache_key(
            model=cfg.model, endpoint=cfg.endpoint, mode=cfg.resolved_mode,
            prompt_version=usage.prompt_version or "", narrative_sha=narrative.sha,
        )
        if self.cache is not None and (hit := self.cache.get(key)) is not None:
            usage.cached = True
            return extraction_from(hit[0], doc, rules, usage, profile=self.profile)
        try:
            facts = self._ask(narrative, doc, usage)
        except (TransportError, AnswerError) as e:
            self.failures.append(doc.path)
            if self.strict:
                raise ModelFailure(self._redact(
                    f"大模型提取失败（{cfg.model} @ {cfg.endpoint}）：{e}；共请求{usage.requests}次"
                    "（--strict-llm）")) from None
            return self._degraded(rules, doc, e, usage)
        if self.cache is not None:
            self.cache.put(
                key, facts, model=cfg.model, prompt_version=usage.prompt_version or "",
                usage={"requests": usage.requests, "prompt_tokens": usage.prompt_tokens,
                       "completion_tokens": usage.completion_tokens},
            )
        return extraction_from(facts, doc, rules, usage, profile=self.profile)

    # --- the two retry policies --------------------------------------------------------------
    def _ask(self, narrative: Narrative, doc: Document, usage: Usage) -> NarrativeFacts:
        """Ask for the facts, re-asking on invalid answers (the validation policy)."""
        cfg = self.config
        mode = cfg.resolved_mode
        from reviewer.llm import sdk

        request = build_request(
            doc, None, model=cfg.model, profile=self.profile, mode=mode,
            temperature=cfg.temperature, max_tokens=cfg.max_tokens, narrative=narrative,
        )
        check = quote_checker(doc)
        meta = {"path": Path(doc.path).name, "narrative_sha": narrative.sha}
        last: dict = {}
        validation = Retrying(
            stop=stop_after_attempt(cfg.validation_attempts),
            retry=retry_if_exception(_reaskable),
            reraise=True,
            sleep=self.sleep,
        )
        try:
            for attempt in validation:
                with attempt:
                    n = attempt.retry_state.attempt_number
                    body = self._send(request, {**meta, "attempt": n}, usage)
                    last = body
                    try:
                        return sdk.parse_facts(body, quote_check=check)
                    except AnswerError as e:
                        log.debug("answer %d for %s is invalid: %s", n, meta["path"], e)
                        if n < cfg.validation_attempts and not e.final:
                            request = sdk.reask(request, body, e, mode)
                        raise
        except AnswerError as e:
            # The last answer may be well-formed with some bad quotes: keep what can be verified.
            try:
                return sdk.parse_facts(last)
            except AnswerError:
                if e.final:
                    raise
                raise AnswerError(f"连续{cfg.validation_attempts}次应答无效（{e}）", e.cause) from e
        raise AssertionError("unreachable")  # pragma: no cover

    def _send(self, body: dict, meta: dict, usage: Usage) -> dict:
        """Send one request, retrying transport faults (the transport policy)."""
        attempts = 1 if self._unavailable else self.config.transport_attempts
        transport = Retrying(
            stop=stop_after_attempt(attempts),
            wait=self._wait,
            retry=retry_if_exception(_retryable),
            reraise=True,
            sleep=self.sleep,
        )

        def once() -> dict:
            usage.requests += 1
            return self.transport.send(body, meta)

        try:
            with paused():  # waiting for the model is not the report's time (reviewer.budget)
                answer = transport(once)
        except TransportError:
            self._unavailable = True
            raise
        self._unavailable = False
        prompt_tokens, completion_tokens = usage_of(answer)
        usage.prompt_tokens += prompt_tokens
        usage.completion_tokens += completion_tokens
        return answer

    def _wait(self, state: RetryCallState) -> float:
        error = state.outcome.exception() if state.outcome else None
        if isinstance(error, TransportError) and error.retry_after is not None:
            return min(error.retry_after, self.config.retry_after_cap)
        return self._backoff(state)

    # --- fallback ----------------------------------------------------------------------------
    def _degraded(self, rules: Extraction, doc: Document, error: Exception, usage: Usage) -> Extraction:
        where = f"{self.config.model} @ {self.config.endpoint}"
        notice = self._redact(
            f"大模型提取失败（{where}）：{error}；共请求{usage.requests}次。本文件改用规则提取器审核，叙述类检查的结果可能不完整"
        )
        return Extraction(
            facts=tag(rules.facts, doc, "rules"),
            extractor="rules",
            notices=[*rules.notices, notice],
            usage=usage,
        )

    def _redact(self, text: str) -> str:
        key = self.config.api_key
        return text.replace(key, "***") if key else text
