"""One Chalice Blueprint per area: reader pages, the editors' API, photo events.

A route parses its request, calls one service and shapes the reply; HTTP and
event shapes stop here, services never import chalice.

Logging is configured here, first: app.py imports the routes before any other module of ours, so on a cold
start every line from here on, those logged while importing included, is one JSON object with a request id
(chalicelib/logs.py), never the runtime's plain text.
"""

from chalicelib import logs
from chalicelib.config import get_settings

logs.configure(human=get_settings().log_format == "human")
