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
from collections.abc import Callable
from typing import Any

from chalice import Blueprint
from chalice.app import ChaliceAuthorizer

from chalicelib import errors, logs
from chalicelib.observing import lambda_fields, observe_request

routes = Blueprint(__name__)
log = logging.getLogger(__name__)

EVENT_TYPES = ("sqs", "s3", "sns", "scheduled", "pure_lambda")  # chalice's middleware kinds besides HTTP


def _event_observer(kind: str) -> Callable[[Any, Callable[[Any], Any]], Any]:
    def observe_event(event: Any, get_response: Callable[[Any], Any]) -> Any:
        ids = lambda_fields(getattr(event, "context", None))
        request_id = ids["lambda_request_id"] or logs.new_request_id()
        with logs.request_scope(request_id=request_id, event=kind, **ids):
            result = get_response(event)
            if isinstance(result, dict) and "batchItemFailures" in result:
                log.info("SQS batch handled: %d to be delivered again", len(result["batchItemFailures"]))
            else:
                log.info("%s event handled", kind)
            return result

    return observe_event


routes.register_middleware(observe_request, "http")
for _kind in EVENT_TYPES:
    routes.register_middleware(_event_observer(_kind), _kind)


class _ObservedAuthorizer(ChaliceAuthorizer):
    """A chalice authorizer whose lines carry its invocation's ids, with one line saying what it decided."""

    def __call__(self, event: dict[str, Any], context: Any) -> dict[str, Any]:
        ids = lambda_fields(context)
        request_id = ids["lambda_request_id"] or logs.new_request_id()
        with logs.request_scope(request_id=request_id, event=f"authorizer {self.name}", **ids):
            try:
                result = super().__call__(event, context)
            except Exception as error:
                if str(error) == "Unauthorized":  # the authorizer's refusal (API Gateway answers 401)
                    why = error.__cause__
                    if isinstance(why, errors.NewsroomError):  # why, for ops (never the token itself)
                        log.info("token refused (%s): %s", why.code, why.message)
                    else:
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
