"""Where `make deploy`'s last step asks for the home page (the page itself is asked in the rehearsal)."""

from __future__ import annotations

from ops.site_check import home_url


def test_a_global_site_is_asked_on_the_api_stage_url() -> None:
    assert home_url("abc123", "us-east-1", "api", "https://news.example.org") == (
        "https://abc123.execute-api.us-east-1.amazonaws.com/api/"
    )


def test_a_china_site_is_asked_on_its_own_domain() -> None:
    """execute-api names do not serve the public in China: only the ICP-filed domain does."""
    assert home_url("abc123", "cn-north-1", "api", "https://news.example.org.cn") == "https://news.example.org.cn/"
