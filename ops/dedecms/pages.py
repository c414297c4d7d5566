"""`import-page`: one saved DedeCMS article page (the HTML file, its images beside it; or a URL) -> one article.

The page's charset comes from its `<meta charset>` (GB2312 and GBK pages are read as GB18030, which
contains both). Title, date, source, author and view count come from DedeCMS's article template
(`.title h2`, the `.info` line "时间: … 来源: … 作者: … 点击: … 次"); the category from the breadcrumb
(`.place`) when one of its links names an imported channel or a category; the body by the same rules
as `import-dedecms`. A page that shows its DedeCMS id (the counter's `aid=`) becomes `dede-{aid}`, the
same article `import-dedecms` makes, so importing both never doubles it.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit
from zoneinfo import ZoneInfo

import lxml.html

from chalicelib import categories, editorial, legacy
from chalicelib.config import get_settings
from chalicelib.errors import NotFound
from chalicelib.fetching import Fetcher, Purpose
from ops.dedecms.body import clean_text, to_blocks
from ops.dedecms.images import Images
from ops.dedecms.importer import resolve_photos
from ops.dedecms.report import Report
from ops.dedecms.writing import article_id, save_article, usable_date

META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_-]+)""", re.IGNORECASE)
CHARSETS = {"gb2312": "gb18030", "gbk": "gb18030", "gb18030": "gb18030", "utf-8": "utf-8", "utf8": "utf-8"}
DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?")
LABELS = {
    "source": re.compile(r"来源[:：]\s*(\S+)"),
    "author": re.compile(r"作者[:：]\s*(\S+)"),
    "views": re.compile(r"点击[:：]\s*(\d+)"),
}
AID = re.compile(r"aid=(\d+)")
BODY_CLASSES = ("content", "article-content", "article_content", "viewbox")
BODY_IDS = ("content", "article")


def _classed(name: str) -> str:
    """XPath for elements of class `name` (lxml's CSS selectors need another package)."""
    return f"//*[contains(concat(' ', normalize-space(@class), ' '), ' {name} ')]"


@dataclass
class SavedPage:
    title: str
    body_html: str
    published_at: datetime | None
    source: str | None
    author: str | None
    views: int
    aid: int | None
    breadcrumb: list[tuple[str, str]]  # (link text, href)


def decode(raw: bytes) -> str:
    """The page's text, in the charset its `<meta>` declares (UTF-8 if none, or a BOM says so)."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="replace")
    found = META_CHARSET.search(raw[:4096])
    declared = found.group(1).decode("ascii").lower() if found else "utf-8"
    return raw.decode(CHARSETS.get(declared, declared), errors="replace")


def parse_page(text: str, timezone: str) -> SavedPage:
    # Decoded already: the parser must not follow the page's own charset claim again.
    document = lxml.html.document_fromstring(text.encode("utf-8"), parser=lxml.html.HTMLParser(encoding="utf-8"))
    title_element = _first(document, [_classed("title") + "//h2", _classed("title") + "//h1", "//h1"])
    if title_element is not None:
        title = clean_text(title_element.text_content())
    else:
        title = clean_text((document.findtext(".//title") or "").split("_")[0])
    info_element = _first(document, [_classed("info")])
    info = clean_text(info_element.text_content()) if info_element is not None else ""
    body_element = _first(document, [_classed(c) for c in BODY_CLASSES] + [f"//*[@id='{i}']" for i in BODY_IDS])
    body_html = lxml.html.tostring(body_element, encoding="unicode") if body_element is not None else ""
    labels = {name: (m.group(1) if (m := pattern.search(info)) else None) for name, pattern in LABELS.items()}
    scripts = " ".join(s.get("src") or "" for s in document.iter("script"))
    aid = AID.search(scripts)
    breadcrumb = [
        (clean_text(a.text_content()), a.get("href") or "")
        for a in document.xpath(_classed("place") + "//a | " + _classed("position") + "//a")
    ]
    return SavedPage(
        title=title,
        body_html=body_html,
        published_at=_date(info, timezone),
        source=labels["source"],
        author=labels["author"],
        views=int(labels["views"] or 0),
        aid=int(aid.group(1)) if aid else None,
        breadcrumb=breadcrumb,
    )


def import_page(page_at: Path | str, category: str | None, allow_remote: bool = False, dry_run: bool = False) -> Report:
    """Import the page saved at `page_at`, or at a URL (its images then are remote: `allow_remote`)."""
    report = Report(dry_run=dry_run)
    settings = get_settings()
    url = str(page_at) if str(page_at).startswith(("http://", "https://")) else None
    raw = _download(url, settings.max_upload_bytes) if url else Path(page_at).read_bytes()
    page = parse_page(decode(raw), settings.site_timezone)
    label = f"page {url or Path(page_at).name}"
    slug = category or _category_from(page.breadcrumb)
    if slug is None:
        report.skipped.append((label, "no category: its breadcrumb names none here; give --category"))
        return report
    if not page.title.strip():  # before its photos are uploaded and its date is judged: nothing is imported
        report.skipped.append((label, "no title: neither a heading nor a window title"))
        return report
    images = Images(None, allow_remote=allow_remote, dry_run=dry_run, max_bytes=settings.max_upload_bytes)
    converted = to_blocks(page.body_html, url)
    report.warnings += [f"{label}: {w}" for w in converted.warnings]
    if url:
        for block in converted.blocks:
            if block["type"] == "photo":
                block["src"] = urljoin(url, block["src"])
    body = resolve_photos(converted.blocks, images, report, label, base=None if url else Path(page_at).parent)
    data: dict[str, Any] = {
        "title": page.title,
        "category": slug,
        "source": page.source,
        "author": page.author,
        "body": body,
    }
    new_id = article_id(page.aid) if page.aid else f"page-{hashlib.sha256(raw).hexdigest()[:12]}"
    data["cover_photo_id"] = _stored_cover(new_id)  # a page does not show the cover: keep the one imported
    if page.published_at is None:
        report.warnings.append(f"{label}: no usable date on the page: left as a draft")
    save_article(new_id, data, page.published_at, page.views, report, label, dry_run)
    report.photos_uploaded, report.photos_reused = images.uploaded, images.reused
    return report


def _download(url: str, limit: int) -> bytes:
    """The page at `url`, from its own host only (its public address, or a local stage's loopback pair)."""
    return Fetcher(old_site(url, limit), loopback=get_settings().fetch_loopback_hosts).get(url).body


def old_site(url: str, limit: int) -> Purpose:
    """Fetching from the old site the ops person named: its host only, on whatever port it answers."""
    host = (urlsplit(url).hostname or "").lower()
    return Purpose("the old site", frozenset({host}), limit, timeout=30, allow_http=True, ports=None)


def _stored_cover(article_id: str) -> str | None:
    try:
        return editorial.get_article(article_id).cover_photo_id
    except NotFound:
        return None


def _first(document: Any, xpaths: list[str]) -> Any:
    for xpath in xpaths:
        found = document.xpath(xpath)
        if found:
            return found[0]
    return None


def _category_from(breadcrumb: list[tuple[str, str]]) -> str | None:
    """The deepest breadcrumb link that is a category here: by the old URL imported, else by its name."""
    by_name = {c.name: c.slug for c in categories.list_categories()}
    for text, href in reversed(breadcrumb):
        if href.startswith("/a/"):
            target = legacy.redirect_for(legacy.old_path(href))
            if target and target.startswith("/news/"):
                return target.removeprefix("/news/")
        if text in by_name:
            return by_name[text]
    return None


def _date(info: str, timezone: str) -> datetime | None:
    found = DATE.search(info)
    if found is None:
        return None
    year, month, day, hour, minute, second = (int(g) if g else 0 for g in found.groups())
    try:
        moment = datetime(year, month, day, hour, minute, second, tzinfo=ZoneInfo(timezone)).astimezone(UTC)
    except (ValueError, OverflowError):  # 0001-01-01 in a zone east of UTC is in year 0
        return None
    return moment if usable_date(moment) else None
