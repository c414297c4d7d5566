"""The DedeCMS database URL ops give `import-dedecms` (ops/dedecms/source.py: Connection.from_url)."""

from __future__ import annotations

import pytest

from ops.dedecms.source import Connection


def test_what_the_url_leaves_out_is_mysqls_own_default():
    assert Connection.from_url("mysql:///dedecms") == Connection(
        host="127.0.0.1", port=3306, user="root", password="", database="dedecms"
    )


def test_a_full_url_is_read_whole_its_password_percent_decoded():
    connection = Connection.from_url("mariadb://dede%40site:p%40ss%3Aword@db.example.cn:3307/old_site/", "cms_")
    assert connection == Connection(
        host="db.example.cn", port=3307, user="dede@site", password="p@ss:word", database="old_site", prefix="cms_"
    )


@pytest.mark.parametrize(
    "url", ["postgres://root@127.0.0.1/dedecms", "mysql://root@127.0.0.1/", "mysql://root@127.0.0.1", "dedecms"]
)
def test_anything_else_is_refused_with_what_a_url_looks_like(url):
    with pytest.raises(ValueError) as refused:
        Connection.from_url(url)
    assert str(refused.value) == "the database URL must look like mysql://user:password@host:3306/database"


def test_a_database_name_is_kept_whole_whatever_its_letters():
    assert Connection.from_url("mysql://root@db/X").database == "X"
    assert Connection.from_url("mysql://root@db/Xinhua_news/").database == "Xinhua_news"
