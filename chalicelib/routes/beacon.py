"""Beacon mode's counting request through API Gateway: `POST /views/{id}`, the China profile's one way to count
behind its CDN (CloudFront China has no Lambda function URLs); routes/counting.py answers it the same way as the
global profile's counting function. app.py registers it only where it is the site's door (`doors`)."""

from __future__ import annotations

from chalice import Blueprint, Response

from chalicelib.config import get_settings
from chalicelib.routes import counting
from chalicelib.routes.responses import response_of

routes = Blueprint(__name__)

# The count_views function behind a global CDN. Its blueprint is named after routes/counting.py, so chalice
# declares the handler `chalicelib.routes.counting.count_views`: Lambda imports that module alone, without chalice.
function = Blueprint(counting.__name__)
function.lambda_function(name="count_views")(counting.count_views)


@routes.route("/views/{article_id}", methods=["POST"])
def count_view(article_id: str) -> Response:
    request = routes.current_request
    return response_of(counting.answer_view(article_id, request.headers, request.context))


def doors() -> list[Blueprint]:
    """The blueprints of the site's one counting door (VIEWS_DOOR, generated from the site file by ops/site.py):
    the count_views function behind a global CDN, this route behind China's, neither when the page counts. The
    local stack and the tests name no door: both are there and COUNT_MODE decides."""
    door = get_settings().views_door
    return {"function": [function], "api": [routes], "page": []}.get(door, [function, routes])
