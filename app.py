"""Newsroom's Chalice app: routes and event handlers, wired to chalicelib."""

from chalice import AuthResponse, Chalice

from chalicelib import api, auth, processing, reader
from chalicelib.config import get_settings
from chalicelib.errors import Unauthorized
from chalicelib.responses import html_page, json_api

app = Chalice(app_name="newsroom")

READER_CACHE = "public, max-age=60"
# An article page counts every view, so shared caches must not answer for it.
ARTICLE_CACHE = "private, no-cache"


# Reader pages


@app.route("/", methods=["GET"])
@html_page(READER_CACHE)
def home() -> str:
    return reader.home_page()


@app.route("/news/{category}", methods=["GET"])
@html_page(READER_CACHE)
def category(category: str) -> str:
    params = app.current_request.query_params or {}
    return reader.category_page(category, params.get("cursor"))


@app.route("/articles/{article_id}", methods=["GET"])
@html_page(ARTICLE_CACHE)
def article(article_id: str) -> str:
    return reader.article_page(article_id)


@app.route("/admin", methods=["GET"])
@html_page(READER_CACHE)
def admin() -> str:
    return reader.admin_page()


# Editors' API


@app.authorizer(ttl_seconds=60)
def editor_token(auth_request):
    try:
        username = auth.check_token(auth_request.token)
    except Unauthorized:
        raise Exception("Unauthorized") from None  # API Gateway's signal for a 401
    return AuthResponse(routes=["*"], principal_id=username)


def _body() -> bytes | None:
    return app.current_request.raw_body


@app.route("/api/session", methods=["POST"])
@json_api()
def log_in():
    return api.log_in(_body())


@app.route("/api/articles", methods=["GET"], authorizer=editor_token)
@json_api()
def list_articles():
    return api.list_articles(app.current_request.query_params)


@app.route("/api/articles", methods=["POST"], authorizer=editor_token)
@json_api(201)
def create_article():
    return api.create_article(_body())


@app.route("/api/articles/{article_id}", methods=["GET"], authorizer=editor_token)
@json_api()
def get_article(article_id):
    return api.get_article(article_id)


@app.route("/api/articles/{article_id}", methods=["PUT"], authorizer=editor_token)
@json_api()
def replace_article(article_id):
    return api.replace_article(article_id, _body())


@app.route("/api/articles/{article_id}", methods=["DELETE"], authorizer=editor_token)
@json_api()
def delete_article(article_id):
    return api.delete_article(article_id)


@app.route("/api/articles/{article_id}/publish", methods=["POST"], authorizer=editor_token)
@json_api()
def publish_article(article_id):
    return api.publish_article(article_id, _body())


@app.route("/api/articles/{article_id}/unpublish", methods=["POST"], authorizer=editor_token)
@json_api()
def unpublish_article(article_id):
    return api.unpublish_article(article_id)


@app.route("/api/categories", methods=["GET"], authorizer=editor_token)
@json_api()
def list_categories():
    return api.list_categories()


@app.route("/api/categories/{slug}", methods=["PUT"], authorizer=editor_token)
@json_api()
def put_category(slug):
    return api.put_category(slug, _body())


@app.route("/api/categories/{slug}", methods=["DELETE"], authorizer=editor_token)
@json_api()
def delete_category(slug):
    return api.delete_category(slug)


@app.route("/api/photos", methods=["POST"], authorizer=editor_token)
@json_api(201)
def start_upload():
    return api.start_upload(_body())


@app.route("/api/photos/{photo_id}", methods=["GET"], authorizer=editor_token)
@json_api()
def get_photo(photo_id):
    return api.get_photo(photo_id)


# Photo processing: S3 ObjectCreated notifications for uploads/ arrive through SQS.
PHOTO_BATCH_SIZE = 5


@app.on_sqs_message(queue=get_settings().photo_queue, batch_size=PHOTO_BATCH_SIZE, name="process_photos")
def process_photos(event):
    return processing.handle_messages([record.to_dict() for record in event])
