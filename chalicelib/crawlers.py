"""Telling machines from readers by User-Agent, so a view count counts people.

A list, not a verdict: a crawler that poses as a browser is counted, and a reader whose browser is headless
(automation) is not. No User-Agent at all is a machine too: every browser sends one.
"""

from __future__ import annotations

import re

MACHINE = re.compile(
    r"bot\b|bot/|spider|crawl|slurp|curl/|wget/|python-requests|python-urllib|aiohttp|httpx|go-http-client|"
    r"java/|okhttp|libwww|headless|phantomjs|facebookexternalhit|preview|monitor|pingdom|lighthouse",
    re.IGNORECASE,
)


def is_crawler(user_agent: str | None) -> bool:
    """True for requests a view count must not include."""
    return not user_agent or MACHINE.search(user_agent) is not None
