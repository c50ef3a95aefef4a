"""The one module that imports openai and instructor (CONTRIBUTING; checked by
tests/test_llm_imports.py). It is imported only when a model is configured.

- instructor shapes the request for a mode (tools / json / md_json / json_schema), parses an answer
  into ``NarrativeFacts`` with a validation context, and writes the re-ask messages;
- openai sends one request, with its own retries disabled (``max_retries=0``): retries are the
  extractor's, under bounded tenacity policies.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import openai
from instructor import Mode
from instructor.processing import handle_reask_kwargs, handle_response_model, process_response
from openai.types.chat import ChatCompletion

from reviewer.errors import validation_problem
from reviewer.llm.config import LLMConfig
from reviewer.llm.errors import AnswerError, TransportError, retry_after
from schemas.facts import NarrativeFacts
from schemas.mirror import mirror, to_record

MODES: dict[str, Mode] = {
    "tools": Mode.TOOLS,
    "json": Mode.JSON,
    "md_json": Mode.MD_JSON,
    "json_schema": Mode.JSON_SCHEMA,
}


def _plain(value: Any) -> Any:
    """Request kwargs as plain JSON data (instructor may leave SDK objects in re-ask messages)."""

    def default(obj: Any) -> Any:
        if hasattr(obj, "model_dump"):
            return obj.model_dump(mode="json", exclude_none=True)
        raise TypeError(f"not JSON serialisable: {type(obj).__name__}")

    return json.loads(json.dumps(value, ensure_ascii=False, default=default))


def shape_request(messages: list[dict[str, str]], *, model: str, mode: str, **params: Any) -> dict:
    """The chat-completions request body for ``messages`` in ``mode`` (schema as a tool, a
    response_format, or in the system message)."""
    kwargs = {"model": model, "messages": messages, **{k: v for k, v in params.items() if v is not None}}
    _, shaped = handle_response_model(mirror(NarrativeFacts), mode=MODES[mode], **kwargs)
    return _plain(shaped)


def _completion(body: dict) -> ChatCompletion:
    try:
        return ChatCompletion.model_validate(body)
    except Exception as e:  # pydantic.ValidationError: not a chat completion at all
        raise AnswerError("应答不是有效的 chat completion", e) from e


def answer_mode(body: dict) -> str:
    """How the answer was given: a tool call, or JSON in the content (bare or fenced)."""
    choices = body.get("choices") or [{}]
    message = (choices[0] or {}).get("message") or {}
    return "tools" if message.get("tool_calls") else "md_json"


def parse_facts(body: dict, *, quote_check: Callable[[str], str | None] | None = None) -> NarrativeFacts:
    """Validate an answer into NarrativeFacts. With ``quote_check``, an unverifiable quote is a
    validation error (instructor's validation context reaches the Fact validator)."""
    completion = _completion(body)
    if completion.choices and completion.choices[0].finish_reason == "length":
        raise AnswerError("应答在长度上限处被截断（max_tokens 太小？）", final=True)
    context = {"quote_check": quote_check} if quote_check else None
    model = mirror(NarrativeFacts)
    try:
        facts = process_response(
            completion,
            response_model=model,
            stream=False,
            validation_context=context,
            mode=MODES[answer_mode(body)],
        )
    except Exception as e:  # ValidationError, JSONDecodeError, IncompleteOutputException, ...
        raise AnswerError(_short(e), e) from e
    if not isinstance(facts, model):
        raise AnswerError("应答不是所要求的结构")
    return to_record(facts)


def reask(request: dict, body: dict, error: AnswerError, mode: str) -> dict:
    """The next request: the failed answer and the validation errors appended, as instructor does
    for ``mode``. An answer in the wrong form (text where a tool call was asked) is re-asked as JSON."""
    completion = _completion(body)
    as_mode = mode if mode != "tools" or answer_mode(body) == "tools" else "md_json"
    try:
        shaped = handle_reask_kwargs(request, MODES[as_mode], completion, error.cause)
    except Exception:  # an answer instructor cannot echo back: ask plainly
        shaped = dict(request)
        shaped["messages"] = [*request["messages"], {"role": "user", "content": f"上一次的结果无效：{error}。请重新输出。"}]
    return _plain(shaped)


def _short(e: Exception) -> str:
    """Why an answer is not valid facts, in Chinese (the validator's own messages are Chinese)."""
    if isinstance(e, json.JSONDecodeError) or "JSONDecodeError" in type(e).__name__:
        return "应答不是有效的 JSON"
    if "Incomplete" in type(e).__name__:
        return "应答不完整（可能被截断）"
    inner = e if hasattr(e, "errors") else getattr(e, "__cause__", None) or e
    return f"应答不符合所要求的结构：{validation_problem(inner)}"[:300]


# What to check after a refused request (the key is read only from OPENAI_API_KEY).
STATUS_HINTS = {
    401: "：密钥无效或缺失，请检查环境变量 OPENAI_API_KEY",
    403: "：无权使用该模型或接口，请检查环境变量 OPENAI_API_KEY 与 --model",
    404: "：接口地址或模型不存在，请检查 --base-url 与 --model",
}


class OpenAITransport:
    """Sends a request body to ``{base_url}/chat/completions`` and returns the answer body."""

    def __init__(self, config: LLMConfig) -> None:
        self._client = openai.OpenAI(
            api_key=config.api_key or "not-needed",  # local servers (Ollama, vLLM, llama.cpp) take none
            base_url=config.base_url,
            timeout=config.timeout,
            max_retries=0,
        )

    def send(self, body: dict, meta: dict | None = None) -> dict:
        try:
            text = self._client.post("/chat/completions", body=body, cast_to=str)
        except openai.APITimeoutError:
            raise TransportError("请求超时", retryable=True) from None
        except openai.APIConnectionError:
            raise TransportError("无法连接到大模型服务", retryable=True) from None
        except openai.APIStatusError as e:
            status = e.status_code
            retryable = status in (408, 409, 429) or status >= 500
            wait = retry_after(e.response.headers) if retryable else None
            raise TransportError(f"HTTP {status}{STATUS_HINTS.get(status, '')}", retryable=retryable, status=status,
                                 retry_after=wait) from None
        try:
            data = json.loads(text)
        except ValueError:
            raise TransportError("服务返回的不是 JSON", retryable=True) from None
        if not isinstance(data, dict):
            raise TransportError("服务返回的不是 JSON 对象", retryable=True)
        return data
