"""Two DedeCMS sites written for these tests: their rows (in DedeCMS's own tables) and their uploads/.

The HTML is what DedeCMS's editor (CKEditor) and pastes from WeChat leave: inline styles, `<p>&nbsp;</p>`
spacers, `<strong>` subheadings, images wrapped in links to themselves, `alt="from clipboard"`, and
under each photo a short centred line, its caption.
"""

from __future__ import annotations

import io
import string
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pymysql
from PIL import Image

TABLES = Path(__file__).with_name("dedecms_tables.sql")
# DedeCMS 5.7's default article template (templets/default/article_article.htm) as a browser saves it, cut down.
PAGE_TEMPLATE = Path(__file__).with_name("dedecms_article_page.html")
SHANGHAI = ZoneInfo("Asia/Shanghai")
PHOTOS = 24  # the long article's photos, each with its caption


def unix(year: int, month: int, day: int, hour: int, minute: int) -> int:
    return int(datetime(year, month, day, hour, minute, tzinfo=SHANGHAI).timestamp())


def photo_path(n: int) -> str:
    return f"/uploads/allimg/230315/1-2303150930{n:02d}.jpg"


def caption(n: int) -> str:
    return f"图{n}：会员代表在大会上发言（摄影 李明）"


CHANNELS = [  # id, reid, sortrank, typename, typedir, ispart
    (1, 0, 1, "新闻中心", "{cmspath}/a/news", 0),
    (2, 1, 1, "行业动态", "{cmspath}/a/news/industry", 0),
    (3, 2, 1, "地方动态", "{cmspath}/a/news/industry/local", 0),
    (4, 0, 2, "通知公告", "{cmspath}/a/tongzhi", 0),
    (5, 0, 3, "协会官网", "http://www.example.org/", 2),
    (6, 1, 2, "会员风采", "{cmspath}/a/news/Hui_Yuan", 0),
]


def congress_body() -> str:
    parts = [
        '<p style="text-indent: 2em;"><span style="font-size: 16px;"><span style="font-family: 宋体;">'
        "3月15日，协会2023年度会员大会在北京召开。<br />\n来自全国各地的300余名会员代表参加会议。</span></span></p>",
        "<p>&nbsp;</p>",
        '<p style="text-indent: 2em;"><strong>一、大会议程</strong></p>',
        '<p style="text-indent: 2em;">大会审议通过了理事会工作报告和财务报告。</p>',
    ]
    for n in range(1, PHOTOS + 1):
        parts.append(
            f'<p style="text-align: center;"><a href="{photo_path(n)}" target="_blank">'
            f'<img alt="from clipboard" src="{photo_path(n)}" style="width: 600px; height: 450px;" /></a></p>'
        )
        parts.append(f'<p style="text-align: center;"><span style="font-size:12px;">{caption(n)}</span></p>')
        if n == 12:
            parts.append("<p>&nbsp;</p><h3>二、表彰先进</h3>")
    parts.append('<p style="text-indent: 2em;">&nbsp;大会在热烈的掌声中闭幕。</p><p>&nbsp;</p>')
    return "\n".join(parts)


NOTICE_BODY = (
    '<div style="line-height: 2;">关于开展2023年会员单位年检工作的通知<br/>各会员单位：</div>'
    '<p><img src="/uploads/allimg/230401/missing.jpg" alt="missing.jpg" /></p>'
    '<p style="text-align:center">此图已丢失</p>'
    '<p><a href="/uploads/allimg/230315/1-230315093001.jpg"><img src="/uploads/allimg/230315/1-230315093001.jpg" '
    'alt="大会会场全景" /></a></p>'
    '<table border="1" cellpadding="0" cellspacing="0"><tbody>'
    "<tr><td>事项</td><td>截止日期</td></tr><tr><td>提交年检材料</td><td>4月30日</td></tr></tbody></table>"
    '<p>&nbsp;</p><p style="text-align: right;">中国某某行业协会<br />2023年4月1日</p>'
)


def utf8_articles() -> list[dict[str, Any]]:
    return [
        dict(
            id=101,
            typeid=2,
            arcrank=0,
            click=1234,
            title="协会召开2023年度会员大会",
            writer="王伟",
            source="协会秘书处",
            litpic="/uploads/allimg/230315/1-230315093A40-lp.jpg",
            pubdate=unix(2023, 3, 15, 9, 30),
            body=congress_body(),
        ),
        # 00:30 in Beijing is the day before in UTC: the old URL carries Beijing's day.
        dict(
            id=102,
            typeid=3,
            arcrank=0,
            click=56,
            title="地方协会新年走访会员企业",
            writer="",
            source="",
            litpic="",
            pubdate=unix(2023, 1, 1, 0, 30),
            body="<p>新年伊始，地方协会走访了会员企业。</p>",
        ),
        dict(
            id=103,
            typeid=4,
            arcrank=-1,
            click=0,
            title="（待审）关于召开理事会的通知",
            writer="",
            source="",
            litpic="",
            pubdate=unix(2023, 5, 1, 10, 0),
            body="<p>草稿，尚未审核。</p>",
        ),
        dict(
            id=104,
            typeid=4,
            arcrank=0,
            click=789,
            title="关于开展2023年会员单位年检工作的通知",
            writer="",
            source="",
            litpic="",
            pubdate=unix(2023, 4, 1, 8, 0),
            body=NOTICE_BODY,
        ),
        dict(
            id=105,
            typeid=4,
            arcrank=-2,
            click=3,
            title="已删除的文章",
            writer="",
            source="",
            litpic="",
            pubdate=unix(2023, 4, 2, 8, 0),
            body="<p>回收站</p>",
        ),
        dict(
            id=106,
            typeid=2,
            arcrank=0,
            click=9,
            title="大会图集",
            writer="",
            source="",
            litpic="",
            pubdate=unix(2023, 3, 16, 8, 0),
            body="",
            channel=2,
        ),
        dict(
            id=107,
            typeid=6,
            arcrank=0,
            click=12,
            title="会员风采：某某集团",
            writer="",
            source="",
            litpic="",
            pubdate=unix(2023, 6, 1, 8, 0),
            body="<p>某某集团简介。</p>",
            filename="mouji",
        ),
    ]


GBK_CHANNELS = [(1, 0, 1, "协会新闻", "{cmspath}/a/xiehui", 0)]


def gbk_articles() -> list[dict[str, Any]]:
    # Characters outside GB2312 but in GBK (镕, 堃, 喆) catch a wrong conversion.
    return [
        dict(
            id=201,
            typeid=1,
            arcrank=0,
            click=4321,
            title="朱镕基同志题词展在京开幕",
            writer="张堃",
            source="协会办公室",
            litpic="",
            pubdate=unix(2021, 9, 1, 9, 0),
            body='<p style="text-indent:2em">展览由陈喆主持，展出题词手迹三十余幅。</p>'
            '<p style="text-align:center"><img src="/uploads/allimg/210901/gbk-1.jpg" alt="" /><br />展厅一角</p>',
        ),
    ]


def load_site(
    connection: pymysql.connections.Connection,
    database: str,
    charset: str,
    channels: list[tuple[Any, ...]],
    articles: list[dict[str, Any]],
    stored_as: str | None = None,
) -> None:
    """Create `database` with DedeCMS's tables in `charset` and the rows; `stored_as`: the bytes of that
    charset stored in latin1 columns (what PHP with `SET NAMES latin1` left on many old GBK sites)."""

    def text(value: str) -> str | bytes:
        return value.encode(stored_as) if stored_as else value  # bytes go in as they are (_binary'...')

    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS `{database}`")
        cursor.execute(f"CREATE DATABASE `{database}` DEFAULT CHARACTER SET {charset}")
        cursor.execute(f"USE `{database}`")
        sql = "\n".join(line for line in TABLES.read_text().splitlines() if not line.startswith("--"))
        for statement in sql.replace("@charset@", charset).split(";"):
            if statement.strip():
                cursor.execute(statement)
        for cid, reid, sortrank, name, typedir, ispart in channels:
            cursor.execute(
                "INSERT INTO dede_arctype (id, reid, topid, sortrank, typename, typedir, ispart, namerule, crossid, "
                "content, smalltypes) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, '', '', '')",
                (
                    cid,
                    reid,
                    0 if reid == 0 else 1,
                    sortrank,
                    text(name),
                    typedir,
                    ispart,
                    "{typedir}/{Y}{M}{D}/{aid}.html",
                ),
            )
        for a in articles:
            cursor.execute(
                "INSERT INTO dede_archives (id, typeid, sortrank, flag, channel, arcrank, click, title, writer, "
                "source, litpic, pubdate, senddate, description, filename) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                (
                    a["id"],
                    a["typeid"],
                    a["pubdate"],
                    "p" if a["litpic"] else None,
                    a.get("channel", 1),
                    a["arcrank"],
                    a["click"],
                    text(a["title"]),
                    text(a["writer"]),
                    text(a["source"]),
                    a["litpic"],
                    a["pubdate"],
                    a["pubdate"],
                    "",
                    a.get("filename", ""),
                ),
            )
            if a.get("channel", 1) == 1:
                cursor.execute(
                    "INSERT INTO dede_addonarticle (aid, typeid, body, redirecturl, templet, userip) "
                    "VALUES (%s, %s, %s, '', '', '127.0.0.1')",
                    (a["id"], a["typeid"], text(a["body"])),
                )


def jpeg(width: int, height: int, colour: tuple[int, int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, "JPEG", quality=85)
    return out.getvalue()


def write_uploads(web_root: Path) -> None:
    """The files the sites' articles show (one on purpose missing: /uploads/allimg/230401/missing.jpg)."""
    files = {photo_path(n): jpeg(800, 600, (10 * n, 255 - 10 * n, 128)) for n in range(1, PHOTOS + 1)}
    files["/uploads/allimg/230315/1-230315093A40-lp.jpg"] = jpeg(240, 180, (200, 30, 30))
    files["/uploads/allimg/210901/gbk-1.jpg"] = jpeg(640, 480, (30, 30, 200))
    for path, data in files.items():
        target = web_root / path.lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


PAGE_NAME = "协会召开2023年度会员大会_行业动态_某某行业协会"


def saved_page(folder: Path, aid: int | None = 101) -> Path:
    """Article 101 as a browser saves DedeCMS's default article template: a GB2312 page, images in `*_files/`."""
    files = folder / f"{PAGE_NAME}_files"
    files.mkdir(parents=True, exist_ok=True)
    body = congress_body()
    for n in range(1, PHOTOS + 1):
        name = photo_path(n).rsplit("/", 1)[1]
        (files / name).write_bytes(jpeg(800, 600, (10 * n, 255 - 10 * n, 128)))
        body = body.replace(f'"{photo_path(n)}"', f'"./{PAGE_NAME}_files/{name}"')
    counter = f'<script src="/plus/count.php?view=yes&aid={aid}&mid=1" type="text/javascript"></script>' if aid else ""
    html = string.Template(PAGE_TEMPLATE.read_text()).substitute(counter=counter, body=body)
    page = folder / f"{PAGE_NAME}.html"
    page.write_bytes(html.encode("gb2312"))
    return page
