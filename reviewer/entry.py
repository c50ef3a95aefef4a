"""The ``review`` command (and ``python -m reviewer``).

``review FILE...`` with no option and no model configured — the common case — goes straight to
reviewer.check.run with the defaults, so it never imports click (nor the LLM, batch or GitHub
modules): a cold start is the engine's imports and the review. Anything else is the click command
line (reviewer.cli), which gives the same result for the same arguments.
"""

from __future__ import annotations

import os
import sys

COMMANDS = ("check", "batch", "rules", "rule", "profiles", "gh-comment", "gh-action")
# The LLM options' environment variables, and click's shell completion.
CLICK_ENV = ("REVIEW_MODEL", "OPENAI_BASE_URL", "REVIEW_LLM_MODE", "_REVIEW_COMPLETE")


def plain(args: list[str]) -> bool:
    """Only report paths: no option, no subcommand, no model configured in the environment (and not
    Windows, where click expands wildcards in the arguments)."""
    return (bool(args) and args[0] not in COMMANDS and all(a and not a.startswith("-") for a in args)
            and not any(os.environ.get(name) for name in CLICK_ENV) and os.name == "posix")


def main() -> None:
    args = sys.argv[1:]
    if not plain(args):
        from reviewer.cli import main as cli

        cli()
        return
    from reviewer.check import echo, fail, run, utf8_streams
    from reviewer.errors import internal_error

    utf8_streams()
    try:
        try:
            run(tuple(args))
        except SystemExit as e:
            if type(e.code) is not int:
                raise
            _exit(e.code)
        _exit(0)
    except BrokenPipeError:  # `review a.txt | head`: quiet, as click is
        _pacify()
        sys.exit(1)
    except KeyboardInterrupt:
        echo("", err=True)
        echo("review: 已中止。", err=True)
        sys.exit(130)
    except Exception as e:  # noqa: BLE001 - the last line of defence, as in reviewer.cli
        fail(internal_error(e))
    sys.exit(0)


def _exit(code: int) -> None:
    """Everything is written: save the compiled patterns, flush the streams and end the process
    without the interpreter's finalisation (collecting every module's objects: about a tenth of a
    cold start). The watchdog thread is a daemon and nothing else is left to clean up. A stream that
    cannot be flushed is left to the ordinary exit, which reports it as before."""
    from reviewer import lazyre

    lazyre.save()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BaseException:  # noqa: BLE001 - the ordinary exit says what it said before
        sys.exit(code)
    os._exit(code)


def _pacify() -> None:
    """Standard streams whose flush ignores a closed pipe (click's PacifyFlushWrapper)."""

    class Pacified:
        def __init__(self, stream):
            self._stream = stream

        def flush(self) -> None:
            try:
                self._stream.flush()
            except OSError:
                pass

        def __getattr__(self, name):
            return getattr(self._stream, name)

    sys.stdout = Pacified(sys.stdout)
    sys.stderr = Pacified(sys.stderr)
