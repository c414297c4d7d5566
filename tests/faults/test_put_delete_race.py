"""A PUT racing a DELETE of the same article: a 404 or 409, never a 500, and no deleted article comes back."""

from __future__ import annotations

import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from chalicelib.models import ArticleModel
from tests.api_helpers import call
from tests.site import make_article

TRIALS = 20
EDIT = {"title": "改", "category": "industry", "body": [{"type": "photo", "photo_id": "photo1"}], "version": 1}


def race(client: Any, auth: dict[str, str], article_id: str, delays: tuple[float, float]) -> tuple[int, int]:
    """The PUT's and the DELETE's status, released together, each after its own small delay."""
    start = threading.Barrier(2)

    def send(method: str, body: Any, delay: float) -> int:
        start.wait()
        time.sleep(delay)  # a spread of start times, not a wait for a condition
        return int(call(client, method, f"/api/articles/{article_id}", body, auth).status_code)

    with ThreadPoolExecutor(2) as pool:
        put = pool.submit(send, "PUT", EDIT, delays[0])
        delete = pool.submit(send, "DELETE", None, delays[1])
        return put.result(), delete.result()


def test_put_racing_delete_never_answers_500(client: Any, auth: dict[str, str]) -> None:
    jitter = random.Random(12)  # both orders and the interleavings between them, reproducibly
    answers = []
    for trial in range(TRIALS):
        article_id = make_article(f"race{trial}", publish=False)
        put, delete = race(client, auth, article_id, (jitter.random() * 0.01, jitter.random() * 0.01))
        answers.append((put, delete))
        assert put in (200, 404, 409), answers
        assert delete in (204, 404, 409), answers
        assert (ArticleModel.count(article_id) == 1) == (delete != 204), answers
