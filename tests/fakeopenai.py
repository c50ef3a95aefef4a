"""A real local HTTP server speaking the chat-completions protocol, with scripted answers.

Tests point the real client (openai SDK through reviewer.llm) at ``server.base_url`` and push one
action per expected request; the server records every request (path, headers, JSON body) so tests
can assert how many were made and what was sent. Actions (plain dicts, or callables taking the
request body and returning one):

    tool_answer(facts)            200, the facts as a forced tool call (instructor's TOOLS mode)
    json_answer(facts, fenced=)   200, the facts as JSON in the message content (JSON / MD_JSON modes)
    text_answer("...")            200, free text in the content (garbage for a structured request)
    error(status, headers=...)    an HTTP error (429 with Retry-After, 500, 401, ...)
    hang(seconds)                 answer only after ``seconds`` (the client times out first)
    drop()                        close the connection without any answer

When the script runs out the server answers 599, which the client treats as a retryable 5xx; tests
assert request counts, so an unexpected request never passes unnoticed.
"""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Action = dict[str, Any] | Callable[[dict], dict[str, Any]]


def completion(message: dict, *, model: str = "fake-model", usage: tuple[int, int] = (120, 30),
               finish_reason: str = "stop") -> dict:
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": 1700000000,
        "model": model,
        "choices": [{"index": 0, "message": message, "finish_reason": finish_reason, "logprobs": None}],
        "usage": {"prompt_tokens": usage[0], "completion_tokens": usage[1], "total_tokens": sum(usage)},
    }


def tool_answer(facts: dict, *, name: str = "NarrativeFacts", usage: tuple[int, int] = (120, 30)) -> dict:
    call = {"id": "call_fake", "type": "function", "function": {"name": name, "arguments": json.dumps(facts, ensure_ascii=False)}}
    message = {"role": "assistant", "content": None, "tool_calls": [call]}
    return {"status": 200, "body": completion(message, usage=usage, finish_reason="tool_calls")}


def json_answer(facts: dict, *, fenced: bool = False, usage: tuple[int, int] = (120, 30)) -> dict:
    text = json.dumps(facts, ensure_ascii=False)
    content = f"```json\n{text}\n```" if fenced else text
    return {"status": 200, "body": completion({"role": "assistant", "content": content}, usage=usage)}


def text_answer(content: str, *, usage: tuple[int, int] = (50, 10)) -> dict:
    return {"status": 200, "body": completion({"role": "assistant", "content": content}, usage=usage)}


def error(status: int, *, headers: dict[str, str] | None = None, message: str = "scripted error") -> dict:
    body = {"error": {"message": message, "type": "server_error", "code": None}}
    return {"status": status, "body": body, "headers": headers or {}}


def hang(seconds: float) -> dict:
    return {"hang": seconds, "then": text_answer("too late")}


def drop() -> dict:
    return {"drop": True}


class FakeOpenAI:
    def __init__(self) -> None:
        self.script: list[Action] = []
        self.requests: list[dict[str, Any]] = []  # {"path", "headers" (lower-case names), "body"}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)

    # --- lifecycle ---------------------------------------------------------------------------
    def __enter__(self) -> FakeOpenAI:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._stop.set()
        self._server.shutdown()
        self._server.server_close()

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/v1"

    def push(self, *actions: Action) -> FakeOpenAI:
        with self._lock:
            self.script.extend(actions)
        return self

    @property
    def bodies(self) -> list[dict]:
        return [r["body"] for r in self.requests]

    # --- the handler -------------------------------------------------------------------------
    def _next(self, body: dict) -> dict[str, Any]:
        with self._lock:
            action = self.script.pop(0) if self.script else error(599, message="script exhausted")
        return action(body) if callable(action) else action

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:  # keep test output clean
                pass

            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                length = int(self.headers.get("content-length") or 0)
                raw = self.rfile.read(length)
                try:
                    body = json.loads(raw)
                except ValueError:
                    body = {"_raw": raw.decode("utf-8", "replace")}
                with fake._lock:
                    fake.requests.append({"path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()},
                                          "body": body})
                action = fake._next(body)
                if action.get("drop"):
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                if "hang" in action:
                    if fake._stop.wait(action["hang"]):
                        return
                    action = action["then"]
                data = json.dumps(action["body"], ensure_ascii=False).encode("utf-8")
                self.send_response(action["status"])
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                for k, v in (action.get("headers") or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                try:
                    self.wfile.write(data)
                except OSError:  # the client gave up (timeout): nothing to answer
                    pass

        return Handler


def dead_url() -> str:
    """A loopback URL where nothing listens (connection refused)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/v1"
