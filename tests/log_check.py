"""Every line the test session logs is one JSON object with a request id (issue 16: "log lines of the whole test
suite parse as JSON with a request id").

`LineCheck` is a handler on the root logger, installed by tests/conftest.py before the app is imported, at the
level the app logs at: it writes every record that reaches the root (the app's, chalice's, the libraries', the
tests' own) through chalicelib.logs.JsonFormatter, as Lambda would, and keeps each line that does not parse or
lacks a field. A line lacks its request id when its record was made before chalicelib.logs stamped records
(logged at import ahead of chalicelib/routes/__init__.py): on Lambda that line would be the runtime's plain text.
A test that logged such a line fails at teardown; lines logged outside any test fail the session at its end.
"""

from __future__ import annotations

import json
import logging

from chalicelib.logs import JsonFormatter

FIELDS = ("time", "level", "logger", "message", "request_id")


class LineCheck(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.formatter_ = JsonFormatter()
        self.bad: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            line = self.formatter_.format(record)
            document = json.loads(line)
        except Exception as exc:  # what would not reach CloudWatch as JSON
            self.bad.append(f"{record.name}: {record.msg!r}: not JSON ({exc!r})")
            return
        missing = [name for name in FIELDS if not isinstance(document, dict) or not document.get(name)]
        if missing:
            self.bad.append(f"{line} (no {', '.join(missing)})")

    def take(self, since: int) -> list[str]:
        """The bad lines after the first `since`, no longer counted as outside any test."""
        taken = self.bad[since:]
        del self.bad[since:]
        return taken


CHECK = LineCheck()


def install() -> None:
    """From now on, every line is checked; INFO and above, as the app's logs.configure sets."""
    root = logging.getLogger()
    root.addHandler(CHECK)
    root.setLevel(logging.INFO)
