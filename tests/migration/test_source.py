"""DedeCMS's rows as `Source` reads them (ops/dedecms/source.py), against a real MariaDB: every archive from
id 1, in batches, with the columns other channel models leave NULL, flags, redirects and a download's links."""

from __future__ import annotations

import pytest

from ops.dedecms.source import Article, Connection, Source
from tests.migration import sites
from tests.migration.mariadb import MariaDB

DATABASE = "dede_rows"
SOFTLINKS = "{dede:link islocal='1' text='本地下载'} /uploads/soft/1.pdf {/dede:link}\r\n"


def row(aid: int, channel: int = 1, **fields: object) -> dict[str, object]:
    return {
        "id": aid,
        "typeid": 1,
        "channel": channel,
        "arcrank": 0,
        "click": 7,
        "title": f" 标题{aid} ",
        "writer": " 王伟",
        "source": " 秘书处",
        "litpic": "",
        "pubdate": sites.unix(2023, 3, 15, 9, 30),
        "body": f"<p>正文{aid}</p>",
        **fields,
    }


@pytest.fixture(scope="module")
def database(mariadb: MariaDB) -> str:
    articles = [row(1), row(2, channel=2), row(3, channel=3), row(4, litpic=" /uploads/4.jpg")]
    with mariadb.connect() as db:
        sites.load_site(db, DATABASE, "utf8mb4", [(1, 0, 1, "新闻", "{cmspath}/a/news", 0)], articles)
        with db.cursor() as cursor:
            cursor.execute(f"USE `{DATABASE}`")
            cursor.execute("UPDATE dede_archives SET flag = 'h,f,c' WHERE id = 1")
            cursor.execute("UPDATE dede_archives SET flag = NULL, filename = 'gongshi ' WHERE id = 2")
            cursor.execute("UPDATE dede_addonarticle SET redirecturl = ' https://www.example.org.cn/a ' WHERE aid = 4")
            cursor.execute(
                "INSERT INTO dede_addonsoft (aid, typeid, softlinks, introduce, redirecturl) "
                "VALUES (3, 1, %s, '<p>请下载</p>', '')",
                (SOFTLINKS,),
            )
    return DATABASE


def expected(aid: int, channel: int = 1, **fields: object) -> Article:
    values: dict[str, object] = {
        "aid": aid,
        "typeid": 1,
        "channel": channel,
        "arcrank": 0,
        "click": 7,
        "title": f"标题{aid}",  # trimmed, as every short column
        "writer": "王伟",
        "source": "秘书处",
        "litpic": "",
        "pubdate": sites.unix(2023, 3, 15, 9, 30),
        "filename": "",
        "flag": "",
        "body": f"<p>正文{aid}</p>",
        "redirecturl": "",
        "softlinks": "",
    }
    return Article(**{**values, **fields})  # type: ignore[arg-type]


@pytest.mark.parametrize("batch", [1, 3, 200])
def test_every_archive_is_read_from_the_first_with_what_its_channel_model_holds(mariadb, database, batch):
    source = Source(Connection.from_url(mariadb.url(database)))
    try:
        assert source.charset == "utf8mb4"
        assert list(source.articles(batch)) == [
            expected(1, flag="c,h,f"),  # a SET column: in its own order
            expected(2, channel=2, body="", filename="gongshi"),  # an image set: no addon row, a NULL flag
            expected(3, channel=3, body="<p>请下载</p>", softlinks=SOFTLINKS),
            expected(4, litpic="/uploads/4.jpg", flag="p", redirecturl="https://www.example.org.cn/a"),
        ]
        assert source.count_articles() == 4
    finally:
        source.close()


def test_the_tables_character_set_is_read_also_when_their_bytes_are_taken_as_stored(mariadb):
    """`--stored-as gbk`: the connection takes bytes (latin1, no decoding), the answer about the tables too."""
    source = Source(Connection.from_url(mariadb.url("dede_latin1"), stored_as="gbk"))
    try:
        assert source.charset == "latin1"
        assert next(source.articles()).title == "朱镕基同志题词展在京开幕"
    finally:
        source.close()


def test_a_database_without_the_tables_or_a_prefix_that_is_not_a_name_is_refused_in_words(mariadb, database):
    with pytest.raises(ValueError) as refused:
        Source(Connection.from_url(mariadb.url(database), prefix="cms_"))
    assert str(refused.value) == "no table cms_archives: is this a DedeCMS database, with this prefix?"
    with pytest.raises(ValueError) as refused:
        Source(Connection.from_url(mariadb.url(database), prefix="dede_`; DROP"))
    assert str(refused.value) == "the table prefix may hold letters, digits and _ only"
