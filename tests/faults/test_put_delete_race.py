"""A PUT racing a DELETE of the same article: a 404 or 409, never a 500, and no article comes back."""

from __future__ import annotations

import random
import threading
import time
from typing import Any

from chalicelib.models import ArticleModel
from tests.api_helpers import call
from tests.site import make_article

TRIALS = 20


def test_put_racing_delete_never_answers_500(client: Any, auth: dict[str, str]) -> None:
    answers: list[tuple[int, int]] = []
    jitter = random.Random(12)  # both orders and the interleavings between them, reproducibly
    for trial in range(TRIALS):
        article_id = make_article(f"race{trial}", publish=False)
        body = {"title": "改", "category": "industry", "body": [{"type": "photo", "photo_id": "photo1"}], "version": 1}
        start = threading.Barrier(2)
        status: dict[str, int] = {}
        delays = [jitter.random() * 0.01 for _ in range(2)]

        def put(article_id: str = article_id, body: Any = body, status: dict[str, int] = status) -> None:
            start.wait()
            time.sleep(delays[0])  # a spread of start times, not a wait for a condition
            status["put"] = call(client, "PUT", f"/api/articles/{article_id}", body, auth).status_code

        def delete(article_id: str = article_id, status: dict[str, int] = status) -> None:
            start.wait()
            time.sleep(delays[1])
            status["delete"] = call(client, "DELETE", f"/api/articles/{article_id}", None, auth).status_code

        threads = [threading.Thread(target=put), threading.Thread(target=delete)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        answers.append((status["put"], status["delete"]))
        assert status["put"] in (200, 404, 409), answers
        assert status["delete"] in (204, 404, 409), answers
        exists = ArticleModel.count(article_id) == 1
        assert exists == (status["delete"] != 204), answers
