"""Every request and event, observed: request ids on every log line, an X-Request-Id header, outcome metrics
(one line a request carries both its outcome and its metrics' EMF document).

A chalice middleware sees every HTTP request (pages, feeds, the API, the admin app, and chalice's own
404/405/415 answers) and every event (the SQS photo batches; S3, SNS, scheduled and plain Lambda events
too, should a handler of those kinds be added). The request id is API Gateway's (what its access logs and
support know), else Lambda's; the Lambda id is logged beside it. The answer carries it as `X-Request-Id`
so a reader's screenshot of an error page leads to its log lines. Registered like any blueprint.

Chalice runs no middleware around an authorizer, its own Lambda function: `observe_authorizer` gives it the
same scope, with its Lambda request id (API Gateway hands a TOKEN authorizer none of the request's ids).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from chalice import Blueprint, Response
from chalice.app import ChaliceAuthorizer

from chalicelib import errors, logs, metrics
from chalicelib.client_address import client_address

routes = Blueprint(__name__)
log = logging.getLogger(__name__)

EVENT_TYPES = ("sqs", "s3", "sns", "scheduled", "pure_lambda")  # chalice's middleware kinds besides HTTP


def _lambda_fields(context: Any) -> dict[str, str | None]:
    return {
        "function": getattr(context, "function_name", None),
        "lambda_request_id": getattr(context, "aws_request_id", None),
    }


@routes.middleware("http")
def observe_request(request: Any, get_response: Callable[[Any], Response]) -> Response:
    context = request.context or {}
    lambda_fields = _lambda_fields(getattr(request, "lambda_context", None))
    request_id = context.get("requestId") or lambda_fields["lambda_request_id"] or logs.new_request_id()
    route = context.get("resourcePath") or "unknown"
    started = time.perf_counter()
    client = client_address(request.headers, context)  # on every line: the runbook looks for it
    scope = logs.request_scope(
        request_id=request_id, route=route, method=request.method, client=client, **lambda_fields
    )
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


def _event_observer(kind: str) -> Callable[[Any, Callable[[Any], Any]], Any]:
    def observe_event(event: Any, get_response: Callable[[Any], Any]) -> Any:
        lambda_fields = _lambda_fields(getattr(event, "context", None))
        request_id = lambda_fields["lambda_request_id"] or logs.new_request_id()
        with logs.request_scope(request_id=request_id, event=kind, **lambda_fields):
            result = get_response(event)
            if isinstance(result, dict) and "batchItemFailures" in result:
                log.info("SQS batch handled: %d to be delivered again", len(result["batchItemFailures"]))
            else:
                log.info("%s event handled", kind)
            return result

    return observe_event


for _kind in EVENT_TYPES:
    routes.register_middleware(_event_observer(_kind), _kind)


class _ObservedAuthorizer(ChaliceAuthorizer):
    """A chalice authorizer whose lines carry its invocation's ids, with one line saying what it decided."""

    def __call__(self, event: dict[str, Any], context: Any) -> dict[str, Any]:
        lambda_fields = _lambda_fields(context)
        request_id = lambda_fields["lambda_request_id"] or logs.new_request_id()
        with logs.request_scope(request_id=request_id, event=f"authorizer {self.name}", **lambda_fields):
            try:
                result = super().__call__(event, context)
            except Exception as error:
                if str(error) == "Unauthorized":  # the authorizer's refusal (API Gateway answers 401)
                    log.info("token refused")
                elif errors.unavailable(error):
                    log.error("token not checked: AWS unavailable (an outage, not a refusal)", exc_info=True)
                else:
                    log.exception("token not checked: the authorizer failed")
                raise
            log.info("token accepted for %s", result.get("principalId"))
            return result


def observe_authorizer(authorizer: ChaliceAuthorizer) -> ChaliceAuthorizer:
    """`authorizer`, observed (chalice keeps the object it registered, so it becomes the observed kind)."""
    authorizer.__class__ = _ObservedAuthorizer
    return authorizer
