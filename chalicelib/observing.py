"""Every HTTP request observed: its request id on every log line and as an `X-Request-Id` header, and one line
that carries both its outcome and its metrics' EMF document.

No chalice here: the counting function observes its requests with this alone (its cold start imports no chalice);
routes/observed.py registers it as the API's middleware, with the events' and the authorizer's observers.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from chalicelib import logs, metrics
from chalicelib.client_address import client_address

log = logging.getLogger(__name__)


def lambda_fields(context: Any) -> dict[str, str | None]:
    return {
        "function": getattr(context, "function_name", None),
        "lambda_request_id": getattr(context, "aws_request_id", None),
    }


def observe_request(request: Any, get_response: Callable[[Any], Any]) -> Any:
    """Run `get_response(request)` in the request's log scope, log its one line (outcome and metrics) and answer
    with its `X-Request-Id`. `request`: a method, headers, API Gateway's context and the Lambda context; the answer:
    anything with a status code and headers (chalice's Response, answers.Answer)."""
    context = request.context or {}
    ids = lambda_fields(request.lambda_context)
    request_id = context.get("requestId") or ids["lambda_request_id"] or logs.new_request_id()
    route = context.get("resourcePath") or "unknown"
    started = time.perf_counter()
    client = client_address(request.headers, context)  # on every line: the runbook looks for it
    scope = logs.request_scope(request_id=request_id, route=route, method=request.method, client=client, **ids)
    with scope, metrics.gathered() as counted:
        response = get_response(request)
        elapsed = (time.perf_counter() - started) * 1000
        status = response.status_code
        outcome = "server error" if status >= 500 else "client error" if status >= 400 else "ok"
        values = {
            "Requests": 1.0,
            "Latency": elapsed,
            "ClientErrors": float(400 <= status < 500),
            "ServerErrors": float(status >= 500),
        }
        content_type = str(response.headers.get("Content-Type", ""))
        if status == 200 and content_type.startswith("text/html"):
            values.update(PagesServed=1.0, RenderTime=elapsed)
        values.update(counted)  # what the request counted (ArticleViews …), on the same line
        counted.clear()
        emf = metrics.document(values, ("Route", route))  # one line a request: its outcome and its metrics
        log.info(
            "%s %s answered %d (%s) in %.0f ms", request.method, route, status, outcome, elapsed, extra={"emf": emf}
        )
    response.headers[logs.REQUEST_ID_HEADER] = request_id
    return response
