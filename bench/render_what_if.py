"""What-if for benchmark 2: the article body stored as one JSON string instead of a list of maps.

Measured here, not shipped. Today botocore's parser walks the typed AttributeValue shape of
every block and photo field (thousands of nested structures for a 24-photo article) and
pynamodb then builds a MapAttribute per block, only for reader.py to turn them back into
dicts. With `body = JSONAttribute()` the GetItem answer carries one string that json.loads
(C code) turns into the very dicts the page needs. The answer replayed here is the recorded
one with `body` re-encoded that way; the counter write and the render are the real ones.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Callable
from typing import Any

from bench.render import Replay


def json_body_answer(recorded: tuple[int, dict[str, str], bytes], body: list[Any]) -> tuple[int, dict[str, str], bytes]:
    """The recorded GetItem answer with `body` as one S attribute (and a matching CRC32)."""
    status, headers, data = recorded
    answer = json.loads(data)
    answer["Item"]["body"] = {"S": json.dumps(body, ensure_ascii=False, separators=(",", ":"))}
    encoded = json.dumps(answer, ensure_ascii=False).encode()
    kept = {k: v for k, v in headers.items() if k.lower() not in ("x-amz-crc32", "content-length")}
    return status, {**kept, "x-amz-crc32": str(zlib.crc32(encoded)), "Content-Length": str(len(encoded))}, encoded


def json_body_page(article_id: str, recorded_get: tuple[int, dict[str, str], bytes]) -> Callable[[], str]:
    """reader.article_page as it would be with ArticleModel.body a JSONAttribute."""
    from pynamodb.attributes import JSONAttribute

    from chalicelib import pages
    from chalicelib.articles import Article, _summary_fields, get_published_article, is_visible
    from chalicelib.counters import record_view
    from chalicelib.models import ArticleModel
    from chalicelib.navigation import get_navigation

    class JsonBodyArticle(ArticleModel):
        _connection = None  # its own connection, so its own replayed answer
        body = JSONAttribute(null=True)  # type: ignore[assignment]

    replay = Replay([JsonBodyArticle._get_connection().connection.client])
    replay.responses["GetItem"] = json_body_answer(recorded_get, get_published_article(article_id).body)
    replay.answer()

    def page() -> str:
        item = JsonBodyArticle.get(article_id)
        if not is_visible(item):
            raise LookupError(article_id)
        fields = _summary_fields(item)
        article = Article(**fields, author=item.author, cover_photo_id=item.cover_photo_id, body=item.body or [])
        return pages.render_article(get_navigation(), article, record_view(article_id))

    return page
