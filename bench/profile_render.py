"""The article view's profile: cProfile over bench/render.py's replayed view (DynamoDB answered in-process).

`python -m bench.profile_render [calls]` prints the top entries by own time and by cumulative time, in CPU
time (process_time); the top ones go into bench/RESULTS.md ("Render profile").
"""

from __future__ import annotations

import cProfile
import pstats
import sys
import time

from bench.local_aws import configure_environment, moto_aws


def main() -> None:
    calls = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    configure_environment(chrome_cache_seconds=3600)  # as bench/render.py: the chrome and window stay cached
    from app import app
    from bench.content import make_site
    from bench.render import Replay, lambda_call
    from chalicelib.models import ArticleModel, CounterModel

    with moto_aws():
        article_id = make_site()
        handler = lambda_call(app, f"/articles/{article_id}", "reader")  # a reader's view, as bench/render.py
        assert lambda_call(app, f"/articles/{article_id}", "warm")()["statusCode"] == 200
        replay = Replay([model._get_connection().connection.client for model in (ArticleModel, CounterModel)])
        replay.record(handler)
    replay.answer()
    assert handler()["statusCode"] == 200
    profile = cProfile.Profile(time.process_time)  # CPU time: on a shared machine wall time counts the others' work
    profile.enable()
    for _ in range(calls):
        handler()
    profile.disable()
    stats = pstats.Stats(profile).strip_dirs()
    print(f"{calls} article views; per view: {stats.total_tt / calls * 1000:.3f} ms under the profiler")  # type: ignore[attr-defined]
    stats.sort_stats("tottime").print_stats(20)
    stats.sort_stats("cumulative").print_stats(45)


if __name__ == "__main__":
    main()
