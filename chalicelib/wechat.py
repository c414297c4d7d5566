"""A WeChat Official Account article page (or its copied content), read: metadata and body HTML ready to convert.

Pure functions, no network. The page's anatomy (as RSSHub's wechat-mp, wechat_articles_spider and
wechat-article-exporter read it; this is our own reading): the body is `#js_content`, nested `<section>`s
with inline styles; images are lazy (`data-src`, sometimes `data-croporisrc`, or a `background-image`),
on mmbiz.qpic.cn without an extension (the format is `wx_fmt`); the caption is the short centred line under
a photo; a Tencent video is `iframe.video_iframe` with its `vid`. Title, author, account, time (`ct`, Unix
seconds), the article's link and its 阅读原文 link are in `<meta>` tags and script variables.

`body_html` rewrites the body for `richtext.convert.html_to_blocks`: images get a `src`, a caption line becomes
a `<figcaption>`, and each video becomes a marker paragraph (`VIDEO_MARKER` + index) that the importer swaps
for a video block.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

VIDEO_MARKER = "\u2063wechat-video-"  # an invisible separator no article contains, then the index
CENTRED = re.compile(r"text-align\s*:\s*center", re.I)
BACKGROUND_IMAGE = re.compile(r"background-image\s*:\s*url\(\s*[\"']?([^\"')]+)", re.I)
VARIABLES = {
    "title": re.compile(r"var\s+msg_title\s*=\s*(['\"])(.*?)\1", re.S),
    "nickname": re.compile(r"var\s+nickname\s*=\s*(?:htmlDecode\()?\s*(['\"])(.*?)\1", re.S),
    "author": re.compile(r"var\s+author\s*=\s*(['\"])(.*?)\1", re.S),
    "ct": re.compile(r"var\s+ct\s*=\s*(['\"])(\d{9,11})\1"),
    "link": re.compile(r"var\s+msg_link\s*=\s*(['\"])(.*?)\1", re.S),
    "source_url": re.compile(r"var\s+msg_source_url\s*=\s*(['\"])(.*?)\1", re.S),
}
DELETED = ("该内容已被发布者删除", "此内容因违规无法查看", "该公众号已迁移", "此内容被多人投诉")
VERIFICATION = ("环境异常", "完成验证后即可继续访问", "secitptpage/verify", "wappoc_appmsgcaptcha")
EXPIRED = ("链接已过期", "该链接已过期")
KEPT_ATTRIBUTES = ("style", "href", "colspan", "rowspan")  # what the converter reads of a tag
VOID_TAGS = {"br", "img", "hr", "wbr", "input", "meta", "link", "source", "col", "area", "base", "embed"}


@dataclass
class Article:
    title: str = ""
    author: str = ""
    account: str = ""
    published_at: datetime | None = None
    link: str = ""
    source_url: str = ""  # 阅读原文
    body: str = ""  # #js_content, rewritten (see `body_html`)
    videos: list[str] = field(default_factory=list)  # v.qq.com vids, in order


def link_kind(url: str) -> str:
    """`permanent` (?__biz&mid&idx&sn), `short` (/s/<id>), `temporary` (signed, expiring) or `other`."""
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    if parts.path.startswith("/s/") and len(parts.path) > 3:
        return "short"
    if {"__biz", "mid", "idx", "sn"} <= set(query):
        return "permanent"
    if {"timestamp", "signature"} <= set(query) or "src" in query:
        return "temporary"
    return "other"


def page_problem(page: str) -> str | None:
    """A stable code when the page is not an article: deleted, verification, expired; None when it is one."""
    if "js_content" in page and not any(marker in page for marker in VERIFICATION):
        return None
    if any(marker in page for marker in VERIFICATION):
        return "wechat_verification"
    if any(marker in page for marker in DELETED):
        return "wechat_deleted"
    if any(marker in page for marker in EXPIRED):
        return "wechat_expired"
    return "wechat_not_article"


def read_page(page: str) -> Article:
    """The article in a WeChat page (or in HTML copied from one: then what metadata it holds)."""
    meta = _Meta()
    meta.feed(page)
    meta.close()
    found = {name: html.unescape(_unescape_js(m.group(2))) for name, p in VARIABLES.items() if (m := p.search(page))}
    article = Article(
        title=(meta.values.get("og:title") or found.get("title") or meta.heading).strip(),
        author=(meta.values.get("author") or found.get("author") or "").strip(),
        account=(found.get("nickname") or meta.account).strip(),
        link=(meta.values.get("og:url") or found.get("link") or "").strip(),
        source_url=found.get("source_url", "").strip(),
    )
    if "ct" in found:
        article.published_at = datetime.fromtimestamp(int(found["ct"]), UTC)
    article.body, article.videos = body_html(page)
    return article


def body_html(page: str) -> tuple[str, list[str]]:
    """`#js_content` (or all of `page` when it has none: pasted content) rewritten for the converter."""
    rewriter = _Rewriter(whole="js_content" not in page)
    rewriter.feed(page)
    rewriter.close()
    return "".join(rewriter.out), rewriter.videos


class _Meta(HTMLParser):
    """`<meta>` values, the account's name (`#js_name`) and the page's title heading."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.values: dict[str, str] = {}
        self.account = ""
        self.heading = ""
        self.reading: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "meta" and (values.get("property") or values.get("name")):
            self.values.setdefault(values.get("property") or values["name"], values.get("content", ""))
        elif values.get("id") == "js_name":
            self.reading = "account"
        elif values.get("id") == "activity-name" or "rich_media_title" in values.get("class", ""):
            self.reading = "heading"

    def handle_endtag(self, tag: str) -> None:
        if tag in ("a", "strong", "h1", "h2", "span", "div"):
            self.reading = None

    def handle_data(self, data: str) -> None:
        if self.reading == "account" and data.strip():
            self.account += data.strip()
        elif self.reading == "heading" and data.strip():
            self.heading += data.strip()


# Elements whose content is text, as browsers and the sanitiser (nh3) read it (html.parser knows only script and
# style): written back untouched, so an `<xmp>` showing markup shows it as written, and nothing in it is fetched.
RAW_TEXT = ("xmp", "noembed", "noframes", "plaintext")


class _Rewriter(HTMLParser):
    """Re-emits the body with lazy images made real, captions marked and videos as marker paragraphs."""

    def __init__(self, whole: bool) -> None:
        super().__init__(convert_charrefs=False)
        # The elements open inside the body, outermost first: a page's body element, or none outside it. A paste
        # is all body: its outermost is no element, so no end tag closes it.
        self.open: list[str] = [""] if whole else []
        self.out: list[str] = []
        self.videos: list[str] = []
        self.after_image = False  # an image was emitted and no text since
        self.renamed: list[tuple[int, int, str]] = []  # tags turned into <figcaption>: depth, place in out, as written
        self.caption_said = False  # text since the latest <figcaption> began

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in RAW_TEXT:
            self.set_cdata_mode(tag)
        values = {k: v or "" for k, v in attrs}
        if not self.open:
            if values.get("id") == "js_content":
                self.open.append(tag)
            return
        if tag not in VOID_TAGS:
            self.open.append(tag)
        if tag == "img":
            return self._image(values)
        if tag in ("iframe", "mpvideo") or "video_iframe" in values.get("class", ""):
            return self._video(values)
        written = f"<{tag}{_attributes({k: v for k, v in values.items() if k in KEPT_ATTRIBUTES})}>"
        if tag in ("p", "section", "span") and self.after_image and CENTRED.search(values.get("style", "")):
            self.renamed.append((len(self.open), len(self.out), written))
            self.after_image = self.caption_said = False
            written = "<figcaption" + written.removeprefix(f"<{tag}")
        self.out.append(written)
        background = BACKGROUND_IMAGE.search(values.get("style", ""))
        if background:
            self._image({"src": html.unescape(background.group(1))})

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID_TAGS:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        """Closes the open element it names and those left open inside it; an end tag of no open element is
        dropped (as browsers drop it), not the rest of the body with it."""
        if tag in VOID_TAGS or tag not in self.open:
            return
        while self._close() != tag:
            pass

    def _close(self) -> str:
        depth, tag = len(self.open), self.open.pop()
        name = tag
        if self.renamed and self.renamed[-1][0] == depth:
            _, place, written = self.renamed.pop()
            if self.caption_said:
                name = "figcaption"
            else:  # an empty centred line under a photo is a spacer, not its caption: the next line may be
                self.out[place] = written
                self.after_image = True
        if self.open and tag not in ("iframe", "mpvideo"):
            self.out.append(f"</{name}>")
        return tag

    def handle_data(self, data: str) -> None:
        if self.open:
            self.out.append(data)
            if data.strip():  # a &nbsp; arrives as an entity (handle_entityref), a U+00A0 is stripped
                self.after_image = False
                self.caption_said = True

    def handle_entityref(self, name: str) -> None:
        if self.open:
            self.out.append(f"&{name};")

    def handle_charref(self, name: str) -> None:
        if self.open:
            self.out.append(f"&#{name};")

    def _image(self, values: dict[str, str]) -> None:
        source = next(
            (
                html.unescape(values[k]).strip()
                for k in ("data-src", "data-croporisrc", "src")
                if values.get(k, "").strip().startswith(("http", "//"))
            ),
            "",
        )
        if source.startswith("//"):
            source = "https:" + source
        if source:
            alt = values.get("alt", "")
            self.out.append(f"<img{_attributes({'src': source, 'alt': alt})}>")
            self.after_image = True

    def _video(self, values: dict[str, str]) -> None:
        source = html.unescape(values.get("data-src") or values.get("src") or "")
        vid = parse_qs(urlsplit(source).query).get("vid", [""])[0] or values.get("data-mpvid", "")
        if vid:
            self.out.append(f"<p>{VIDEO_MARKER}{len(self.videos)}</p>")
            self.videos.append(vid)


def _attributes(values: dict[str, str]) -> str:
    return "".join(f' {k}="{html.escape(v, quote=True)}"' for k, v in values.items())


def _unescape_js(value: str) -> str:
    return re.sub(r"\\x([0-9a-fA-F]{2})", lambda m: chr(int(m.group(1), 16)), value).replace("\\/", "/")
