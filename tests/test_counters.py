"""View counting: atomic under concurrency, on its own small item."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from chalicelib.counters import get_views, record_view


def test_concurrent_views_lose_no_increment():
    def view_100_times(_: int) -> list[int]:
        return [record_view("busy") for _ in range(100)]

    with ThreadPoolExecutor(max_workers=8) as pool:
        seen = [count for counts in pool.map(view_100_times, range(8)) for count in counts]
    assert get_views("busy") == 800
    assert sorted(seen) == list(range(1, 801))  # every view got its own post-increment value


def test_an_article_never_viewed_has_zero_views():
    assert get_views("never") == 0
