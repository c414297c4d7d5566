"""Counting that survives caching: COUNT_MODE=beacon's cacheable article page and its counting endpoint."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import datetime, timedelta, timezone

import pytest

from chalicelib.articles import now
from chalicelib.config import get_settings
from chalicelib.models import CounterModel
from local.dynamodb_calls import DynamoDBCalls
from tests.api_helpers import call
from tests.site import make_article, make_categories

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
CRAWLERS = [
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)",
    "Sogou web spider/4.0(+http://www.sogou.com/docs/help/webmasters.htm#07)",
    "curl/8.5.0",
    "python-requests/2.32.3",
    "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",  # a link preview, not a reader
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36",
    "",
]


@pytest.fixture
def beacon(configure) -> None:
    configure(COUNT_MODE="beacon", PAGE_CACHE_SECONDS="60")
    make_categories()
    make_article("live")


def count(client, article_id: str, user_agent: str = BROWSER, address: str | None = None):
    """A counting request; `address` is the client's as the CDN appends it (TRUSTED_PROXY_HOPS=1)."""
    headers = {"User-Agent": user_agent, **({"X-Forwarded-For": address} if address else {})}
    return client.http.post(f"/views/{article_id}", headers=headers)


def stored_views(article_id: str) -> int | None:
    try:
        return int(CounterModel.get(article_id).views)
    except CounterModel.DoesNotExist:
        return None


def test_beacon_page_is_shared_cacheable_counts_nothing_and_carries_the_script(client, beacon):
    response = client.http.get("/articles/live", headers={"User-Agent": BROWSER})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "public, max-age=60, stale-while-revalidate=60"
    body = response.body.decode()
    assert '<span class="views" data-count-url="/views/live">0</span>' in body
    script = re.search(r'<script src="(/static/views\.js\?v=[0-9a-f]{16})" defer></script>', body)
    assert script, body
    assert stored_views("live") is None  # rendering counted nothing
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "connect-src 'self'" in csp and "'unsafe-inline'" not in csp.split("style")[0]
    served = client.http.get(script.group(1))
    assert served.status_code == 200 and served.headers["Content-Type"] == "text/javascript; charset=utf-8"
    assert served.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert b'method: "POST",' in served.body and b"keepalive: true," in served.body
    # CloudFront signs the POST to the counting function's URL: the empty body's SHA-256 goes with it
    assert b'"x-amz-content-sha256": emptyBodyHash' in served.body
    assert f'emptyBodyHash = "{hashlib.sha256(b"").hexdigest()}"'.encode() in served.body


def test_the_endpoint_adds_one_view_and_answers_the_count_uncached(client, beacon):
    answers = [count(client, "live", f"{BROWSER} reader/{n}") for n in range(3)]  # three readers
    assert [a.status_code for a in answers] == [200, 200, 200]
    assert [json.loads(a.body) for a in answers] == [{"views": 1}, {"views": 2}, {"views": 3}]
    assert all(a.headers["Cache-Control"] == "no-store" for a in answers)
    page = client.http.get("/articles/live", headers={"User-Agent": BROWSER}).body.decode()
    assert 'data-count-url="/views/live">3</span>' in page  # the count as of the render


def test_one_client_counts_once_a_window_however_often_it_asks(client, beacon, configure, clock):
    """Issue 27: one anonymous client added 960 views in 10.5 s. Now: once per client and article per window;
    another browser at the same address, or the same browser elsewhere, is another reader."""
    from chalicelib.counters import WINDOW

    configure(COUNT_MODE="beacon", TRUSTED_PROXY_HOPS="1")
    start = (int(now().timestamp()) // WINDOW + 1) * WINDOW  # the start of a window
    clock(start)
    make_article("other")
    answers = [json.loads(count(client, "live", BROWSER, "198.51.100.7").body) for _ in range(40)]
    assert answers == [{"views": 1}] * 40
    assert json.loads(count(client, "other", BROWSER, "198.51.100.7").body) == {"views": 1}  # another article
    assert json.loads(count(client, "live", BROWSER + " Edg/131", "198.51.100.7").body) == {"views": 2}
    assert json.loads(count(client, "live", BROWSER, "203.0.113.9").body) == {"views": 3}
    clock(start + WINDOW - 1)
    assert json.loads(count(client, "live", BROWSER, "198.51.100.7").body) == {"views": 3}  # still this window
    clock(start + WINDOW)
    assert json.loads(count(client, "live", BROWSER, "198.51.100.7").body) == {"views": 4}  # the next one
    assert stored_views("live") == 4


def test_one_address_counts_at_most_the_ceiling_a_window(client, beacon, configure, clock):
    """Rotating User-Agents from one address does not get past the address's ceiling."""
    from chalicelib.counters import CEILING

    configure(COUNT_MODE="beacon", TRUSTED_PROXY_HOPS="1")
    clock(now())  # one window throughout
    for n in range(CEILING + 20):
        count(client, "live", f"{BROWSER} fake/{n}", "198.51.100.8")
    assert stored_views("live") == CEILING
    assert json.loads(count(client, "live", BROWSER, "198.51.100.9").body) == {"views": CEILING + 1}


@pytest.mark.parametrize("user_agent", CRAWLERS)
def test_crawlers_get_the_count_without_adding_to_it(client, beacon, user_agent):
    count(client, "live")
    answer = count(client, "live", user_agent)
    assert answer.status_code == 200 and json.loads(answer.body) == {"views": 1}
    assert stored_views("live") == 1


# More machines as they announce themselves, one of each kind the list names (chalicelib/crawlers.py).
MORE_MACHINES = [
    "DuckDuckBot-Https/1.1; (+https://duckduckgo.com/duckduckbot)",
    "Mozilla/5.0 (compatible; Yahoo! Slurp; http://help.yahoo.com/help/us/ysearch/slurp)",
    "CCBot/2.0 (https://commoncrawl.org/faq/)",
    "Wget/1.21.4",
    "Python-urllib/3.12",
    "Python/3.12 aiohttp/3.9.5",
    "python-httpx/0.27.0",
    "Go-http-client/2.0",
    "Java/17.0.2",
    "okhttp/4.12.0",
    "libwww-perl/6.72",
    "Mozilla/5.0 (Unknown; Linux x86_64) AppleWebKit/538.1 (KHTML, like Gecko) PhantomJS/2.1.1 Safari/538.1",
    "Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com) Preview",
    "Site24x7 monitor",
    "Pingdom.com_bot_version_1.4_(http://www.pingdom.com/)",
    "Mozilla/5.0 (Linux; Android 11) AppleWebKit/537.36 Chrome-Lighthouse",
]


def test_every_kind_of_machine_the_list_names_gets_the_count_without_adding_to_it(client, beacon):
    count(client, "live")
    for user_agent in MORE_MACHINES:
        answer = count(client, "live", user_agent)
        assert answer.status_code == 200 and json.loads(answer.body) == {"views": 1}, user_agent
    assert stored_views("live") == 1
    assert json.loads(count(client, "live", f"{BROWSER} reader/2").body) == {"views": 2}  # a reader still counts


def test_unknown_unpublished_and_scheduled_articles_are_refused_without_a_counter(client, beacon):
    make_article("draft", publish=False)
    make_article("later", published_at=now() + timedelta(days=1))
    for article_id in ("draft", "later", "nope", "bad%20id"):
        answer = count(client, article_id)
        assert answer.status_code == 404, article_id
        assert json.loads(answer.body)["message"] == "article not found"
    assert [stored_views(a) for a in ("draft", "later", "nope")] == [None, None, None]


def test_a_refusal_names_its_code_and_the_article(client, beacon):
    make_article("draft", publish=False)
    for article_id in ("draft", "nope", "Bad-Id"):
        answer = count(client, article_id)
        assert answer.status_code == 404, article_id
        assert json.loads(answer.body) == {
            "message": "article not found",
            "code": "article_not_found",
            "article_id": article_id,
        }


def test_an_article_published_this_very_moment_is_counted(client, beacon, clock):
    moment = datetime(2026, 3, 1, 8, 0, tzinfo=timezone.utc)
    clock(moment)
    make_article("due", published_at=moment)
    answer = count(client, "due")
    assert answer.status_code == 200 and json.loads(answer.body) == {"views": 1}
    assert stored_views("due") == 1


def test_the_check_is_one_read_of_the_articles_table_and_an_id_no_article_can_have_reads_nothing(client, beacon):
    tables = get_settings().tables
    with DynamoDBCalls() as calls:
        assert count(client, "live").status_code == 200
    sent = [(operation, table) for operation, table, _ in calls.calls]
    assert sent[0] == ("GetItem", tables["articles"])  # the check, then the counter's own requests
    assert tables["articles"] not in {table for _, table in sent[1:]}
    with DynamoDBCalls() as calls:
        assert count(client, "Bad-Id").status_code == 404  # upper case: no id matches it
    assert calls.calls == []


@pytest.mark.parametrize("user_agent", CRAWLERS)
def test_server_mode_counts_no_crawler_and_one_view_per_client(client, configure, clock, user_agent):
    """Issue 27: a Googlebot GET of an article added a view in server mode; the same rules as the beacon's now."""
    configure(COUNT_MODE="server")
    clock(now())  # one counting window throughout
    make_categories()
    make_article("live")
    client.http.get("/articles/live", headers={"User-Agent": user_agent})
    assert stored_views("live") in (None, 0)
    for _ in range(3):
        client.http.get("/articles/live", headers={"User-Agent": BROWSER})
    assert stored_views("live") == 1


def test_server_mode_counts_during_render_and_has_no_endpoint(client, configure):
    configure(COUNT_MODE="server")
    make_categories()
    make_article("live")
    page = client.http.get("/articles/live", headers={"User-Agent": BROWSER})
    assert page.headers["Cache-Control"] == "private, no-cache"
    body = page.body.decode()
    assert '<span class="views">1</span>' in body and "views.js" not in body
    assert "connect-src" not in page.headers["Content-Security-Policy"]  # its scripts (reader.js) send nothing
    assert count(client, "live").status_code == 404
    assert stored_views("live") == 1


def test_a_preview_in_beacon_mode_has_no_count_and_no_script(client, configure, auth):
    configure(COUNT_MODE="beacon")
    make_article("published")
    link = call(client, "POST", "/api/articles/published/preview", None, auth).json["url"]
    page = client.http.get(link, headers={"User-Agent": BROWSER})
    body = page.body.decode()
    assert page.status_code == 200 and 'class="views"' not in body and "views.js" not in body
    assert "connect-src" not in page.headers["Content-Security-Policy"]
    assert stored_views("published") is None


def test_an_unknown_count_mode_stops_the_settings(configure):
    with pytest.raises(RuntimeError, match="COUNT_MODE must be one of server, beacon"):
        configure(COUNT_MODE="edge")
