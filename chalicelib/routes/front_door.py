"""Behind a CDN, the API answers only what came through it: a request without the front door's secret (the header
CloudFront adds, chalicelib/client_address.py) gets a 403 before any route runs, so nobody can call the API's own
execute-api address and claim an address of their choosing to the login throttle."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from chalice import Blueprint, Response

from chalicelib.client_address import through_front_door
from chalicelib.routes.responses import json_response

routes = Blueprint(__name__)

NOT_THROUGH_FRONT_DOOR = "not_through_front_door"


@routes.middleware("http")
def front_door_only(request: Any, get_response: Callable[[Any], Response]) -> Response:
    if not through_front_door(request.headers):
        body = {"message": "use the site's address", "field": None, "code": NOT_THROUGH_FRONT_DOOR}
        return json_response(body, 403)
    return get_response(request)
