"""The two kinds of LLM failure, retried under separate policies (reviewer.llm.extractor)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from email.utils import parsedate_to_datetime


class TransportError(Exception):
    """The request did not produce an answer: timeout, connection error, HTTP error status.

    ``retryable`` says whether another attempt may help (timeouts, connection errors, 408/409/429,
    5xx); ``retry_after`` is the delay the server asked for, in seconds, if it said one."""

    def __init__(self, message: str, *, retryable: bool, status: int | None = None, retry_after: float | None = None):
        super().__init__(message)
        self.retryable = retryable
        self.status = status
        self.retry_after = retry_after


class AnswerError(ValueError):
    """The model answered, but the answer is not valid facts (malformed JSON, wrong schema, a quote
    that does not occur in the report). ``cause`` is the underlying exception, used to re-ask."""

    def __init__(self, message: str, cause: Exception | None = None, *, final: bool = False):
        super().__init__(message)
        self.cause = cause or self
        self.final = final  # asking again cannot help (the answer was cut at the token limit)


def retry_after(headers: Mapping[str, str] | None) -> float | None:
    """Seconds from ``retry-after-ms`` or ``retry-after`` (seconds or an HTTP date), if present."""
    if not headers:
        return None
    ms = headers.get("retry-after-ms")
    if ms:
        try:
            return max(0.0, float(ms) / 1000)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    return max(0.0, (when - dt.datetime.now(dt.timezone.utc)).total_seconds())
