"""Reading a DedeCMS database with PyMySQL: channels (arctype) and articles (archives + addonarticle, or
addonsoft for downloads).

Character sets: the tables' own collation says what they hold. A GBK/GB2312 or UTF-8 table is read
over a utf8mb4 connection, so the server converts and no mojibake reaches Python. Many old GBK sites
stored GBK bytes in latin1 tables (PHP sent them with `SET NAMES latin1`): `stored_as` names the real
charset then, and the bytes are decoded here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import unquote, urlparse

import pymysql
import pymysql.cursors

PREFIX = re.compile(r"^[A-Za-z0-9_]{0,32}$")
ARTICLE_CHANNEL = 1  # DedeCMS's "普通文章" model; others (images, soft, shop) have other addon tables
SOFT_CHANNEL = 3  # "软件" (downloads): the text in addonsoft.introduce, the files in addonsoft.softlinks


@dataclass(frozen=True)
class Connection:
    host: str = "127.0.0.1"
    port: int = 3306
    user: str = "root"
    password: str = ""
    database: str = ""
    prefix: str = "dede_"
    stored_as: str | None = None  # the real charset of text stored in latin1 columns (e.g. gbk)

    @classmethod
    def from_url(cls, url: str, prefix: str = "dede_", stored_as: str | None = None) -> Connection:
        """mysql://user:password@host:port/database (a password with @ or : percent-encoded)."""
        parts = urlparse(url)
        if parts.scheme not in ("mysql", "mariadb") or not parts.path.strip("/"):
            raise ValueError("the database URL must look like mysql://user:password@host:3306/database")
        return cls(
            host=parts.hostname or "127.0.0.1",
            port=parts.port or 3306,
            user=unquote(parts.username or "root"),
            password=unquote(parts.password or ""),
            database=parts.path.strip("/"),
            prefix=prefix,
            stored_as=stored_as,
        )


@dataclass(frozen=True)
class Channel:
    id: int
    parent: int  # reid: 0 for a top-level channel
    position: int  # sortrank
    name: str
    typedir: str
    ispart: int  # 0 list, 1 cover page, 2 external link


@dataclass(frozen=True)
class Article:
    aid: int
    typeid: int
    channel: int
    arcrank: int  # -1 awaiting review (a draft), -2 in the recycle bin
    click: int
    title: str
    writer: str
    source: str
    litpic: str
    pubdate: int  # Unix time
    filename: str
    flag: str
    body: str
    redirecturl: str
    softlinks: str = ""  # a download's (SOFT_CHANNEL) files: `{dede:link islocal='1' text='…'} URL {/dede:link}`


class Source:
    """An open DedeCMS database."""

    def __init__(self, connection: Connection) -> None:
        if not PREFIX.fullmatch(connection.prefix):
            raise ValueError("the table prefix may hold letters, digits and _ only")
        self.prefix = connection.prefix
        self.stored_as = connection.stored_as
        self.db = pymysql.connect(
            host=connection.host,
            port=connection.port,
            user=connection.user,
            password=connection.password,
            database=connection.database,
            # Text arrives as bytes, decoded by _text: UTF-8, or as `stored_as` says (latin1 columns holding its bytes)
            charset="latin1" if connection.stored_as else "utf8mb4",
            use_unicode=False,
            cursorclass=pymysql.cursors.DictCursor,
        )  # pymysql gives up connecting after 10 s
        self.charset = self._table_charset("archives")
        # The prefix is checked above; values go as parameters.
        self._articles_query = (
            "SELECT a.id, a.typeid, a.channel, a.arcrank, a.click, a.title, a.writer, "  # noqa: S608
            "a.source, a.litpic, a.pubdate, a.filename, a.flag, COALESCE(b.body, s.introduce) AS body, "
            "COALESCE(b.redirecturl, s.redirecturl) AS redirecturl, s.softlinks "
            f"FROM `{self.prefix}archives` a LEFT JOIN `{self.prefix}addonarticle` b ON b.aid = a.id "
            f"LEFT JOIN `{self.prefix}addonsoft` s ON s.aid = a.id "
            "WHERE a.id > %s ORDER BY a.id LIMIT %s"
        )

    def close(self) -> None:
        self.db.close()

    def _table_charset(self, table: str) -> str:
        """The character set of a table's collation (gbk, utf8mb4, latin1, ...)."""
        with self.db.cursor() as cursor:
            cursor.execute(
                "SELECT CCSA.CHARACTER_SET_NAME AS charset FROM information_schema.TABLES T "
                "JOIN information_schema.COLLATION_CHARACTER_SET_APPLICABILITY CCSA "
                "ON CCSA.COLLATION_NAME = T.TABLE_COLLATION WHERE T.TABLE_SCHEMA = DATABASE() AND T.TABLE_NAME = %s",
                (self.prefix + table,),
            )
            row = cursor.fetchone()
        if row is None:
            raise ValueError(f"no table {self.prefix}{table}: is this a DedeCMS database, with this prefix?")
        return str(row["charset"].decode())

    def _text(self, value: bytes | None) -> str:
        """A text column's bytes, in the site's charset ('' for NULL); a byte no character has becomes U+FFFD."""
        if value is None:
            return ""
        return value.decode(self.stored_as or "utf-8", errors="replace")

    def channels(self) -> list[Channel]:
        with self.db.cursor() as cursor:
            cursor.execute(
                f"SELECT id, reid, sortrank, typename, typedir, ispart FROM `{self.prefix}arctype` ORDER BY id"  # noqa: S608 (the prefix is checked)
            )
            rows = cursor.fetchall()
        return [
            Channel(
                id=int(r["id"]),
                parent=int(r["reid"]),
                position=int(r["sortrank"]),
                name=self._text(r["typename"]).strip(),
                typedir=self._text(r["typedir"]).strip(),
                ispart=int(r["ispart"]),
            )
            for r in rows
        ]

    def count_articles(self) -> int:
        with self.db.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) AS n FROM `{self.prefix}archives`")  # noqa: S608
            return int(cursor.fetchone()["n"])  # COUNT(*) answers one row, 0 for no archives

    def articles(self, batch: int = 200) -> Iterator[Article]:
        """Every archive with its body (empty for other channel models), oldest first, `batch` at a time."""
        last = -1
        while True:
            with self.db.cursor() as cursor:
                cursor.execute(self._articles_query, (last, batch))
                rows = cursor.fetchall()
            if not rows:
                return
            for r in rows:
                last = int(r["id"])
                yield Article(
                    aid=last,
                    typeid=int(r["typeid"]),
                    channel=int(r["channel"]),
                    arcrank=int(r["arcrank"]),
                    click=int(r["click"]),
                    title=self._text(r["title"]).strip(),
                    writer=self._text(r["writer"]).strip(),
                    source=self._text(r["source"]).strip(),
                    litpic=self._text(r["litpic"]).strip(),
                    pubdate=int(r["pubdate"]),
                    filename=self._text(r["filename"]).strip(),
                    flag=self._text(r["flag"]),
                    body=self._text(r["body"]),
                    redirecturl=self._text(r["redirecturl"]).strip(),
                    softlinks=self._text(r["softlinks"]),
                )
