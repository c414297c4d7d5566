"""Beacon mode's counting request, answered the same way whichever door it comes through.

Two doors, one answer (`answer_view`: `view_counts.count_view` under the API's JSON handling):
- `POST /views/{id}` on the API (routes/beacon.py): a China site's CDN (no function URLs there), and the local stack;
- the `count_views` function's URL behind a global site's CloudFront: the distribution's `/views/*` behaviour
  signs the request with origin access control for Lambda, and the function answers Lambda's function-URL
  event (payload format 2.0). No API Gateway request: $3.50 less per million views (docs/cdn-and-counting.md
  has the arithmetic; bench/edge_cost.py measures it).

chalice cannot declare a function URL, so the function is a plain `lambda_function` (registered by routes/beacon.py,
named after this module), and its URL, the distribution's origin and the permission for CloudFront to call it are
in infra/cdn-global.json (merged by `make package`); a site registers only its one door (routes/beacon.py `doors`).
Lambda imports this module for it (its handler is `chalicelib.routes.counting.count_views`), not app.py: the
editors' API, the admin app, the feeds and chalice itself stay out of its container (answers.py, observing.py).
"""

from __future__ import annotations

import gc

# Lambda imports this module for the function (its cold start): as app.py, the imports run with the garbage
# collector paused (they make objects and free almost none) and what they made is frozen, left out of every
# later collection; with them botocore.session, which the first request's client (dynamodb.py) needs. Imported
# by app.py inside its own pause, this leaves the collector as it found it. bench/cold_start.py measures it.
_collecting = gc.isenabled()
gc.disable()
try:
    import re
    from collections.abc import Mapping
    from types import SimpleNamespace
    from typing import Any

    import botocore.session  # noqa: F401 -- imported here for the client dynamodb.py makes on the first request

    from chalicelib import view_counts
    from chalicelib.answers import Answer, json_answer, json_call
    from chalicelib.client_address import client_address
    from chalicelib.counters import Client
    from chalicelib.observing import observe_request
finally:
    gc.freeze()
    if _collecting:
        gc.enable()

ROUTE = "/views/{article_id}"  # the API route's resource path: the same metrics and log fields for both doors
COUNTING_PATH = re.compile(r"/views/([^/]+)")


@json_call()
def answer_view(article_id: str, headers: Mapping[str, str], context: Mapping[str, Any]) -> dict[str, int]:
    """Count a view of the article (counters.count_view's rules) and answer its count, never cached; errors as
    JSON. `headers` (lower-case names) and `context` (API Gateway's requestContext) say who the client is."""
    return {"views": view_counts.count_view(article_id, client_of(headers, context))}


def client_of(headers: Mapping[str, str], context: Mapping[str, Any]) -> Client:
    """Who asks: the address client_address.py trusts, and the User-Agent."""
    return Client(client_address(headers, context), headers.get("user-agent"))


def count_views(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """The function URL's handler: a payload 2.0 event in, a payload 2.0 answer out."""
    request_context = event.get("requestContext") or {}
    http = request_context.get("http") or {}
    request = SimpleNamespace(
        method=http.get("method", ""),
        headers=event.get("headers") or {},  # lower-case names in payload 2.0
        # what the API's requestContext would say: the line's client is the reader counted (client_address.py)
        context={
            "resourcePath": ROUTE,
            "requestId": request_context.get("requestId"),
            "identity": {"sourceIp": http.get("sourceIp")},
        },
        lambda_context=context,
    )
    return function_url_response(observe_request(request, lambda _: _answer(event, request)))


def _answer(event: dict[str, Any], request: SimpleNamespace) -> Answer:
    match = COUNTING_PATH.fullmatch(event.get("rawPath") or "")
    if match is None:
        return json_answer({"message": "not found"}, 404)  # CloudFront sends only /views/* here
    if request.method != "POST":
        return json_answer({"message": "method not allowed"}, 405, {"Allow": "POST"})
    return answer_view(match.group(1), request.headers, request.context)


def function_url_response(answer: Answer) -> dict[str, Any]:
    """An answer as a function URL answers (payload 2.0: single-valued headers, no multiValueHeaders)."""
    return {"statusCode": answer.status_code, "headers": answer.headers, "body": answer.body, "isBase64Encoded": False}
