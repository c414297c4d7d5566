"""Import a WeChat article, by its link or by its pasted content, as a draft with every photo localised.

By link: the page is fetched from WECHAT_ARTICLE_HOSTS only (the safe fetcher) and told apart: an article, a
deleted one, WeChat's verification page, an expired temporary link, or no article at all (each a 400 with a
stable code, so the app can say what to do, e.g. paste the content instead). By paste: the same conversion
runs on the clipboard's HTML. Either way each image is fetched from WECHAT_IMAGE_HOSTS and becomes a photo
through the upload pipeline (one photo per content); an image that cannot be fetched is left out of the body
and named in `failed_images` with the position it had, for the editor to upload by hand.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from chalicelib import categories, editorial, photo_intake, wechat
from chalicelib.config import get_settings
from chalicelib.errors import InvalidInput, NewsroomError
from chalicelib.fetching import Fetcher, FetchFailed, FetchRefused, Purpose
from chalicelib.validation import MAX_CAPTION, MAX_TITLE, article_fields

MAX_PAGE_BYTES = 5 * 1024 * 1024
MAX_CAPTION_LINE = 60
PARALLEL_FETCHES = 4  # a centred line under a photo longer than this is text, not its caption
ORIGINAL = "原文链接："


@dataclass
class Imported:
    article: Any  # the draft (models.ArticleModel)
    failed_images: list[dict[str, Any]]
    dropped: list[dict[str, Any]]
    link_kind: str | None
    original_published_at: str | None


def require_category(category: str) -> None:
    """Refuse an unknown category before anything is fetched or stored (no photos left behind by a 400)."""
    if category not in {c.slug for c in categories.list_categories()}:
        raise InvalidInput(f"unknown category: {category}", field="category", code="unknown_category")


def import_link(url: str, category: str) -> Imported:
    """Fetch the article at `url` and store it as a draft in `category`."""
    require_category(category)
    settings = get_settings()
    kind = wechat.link_kind(url)
    purpose = Purpose("WeChat articles", settings.wechat_article_hosts, MAX_PAGE_BYTES)
    try:
        page = Fetcher(purpose, loopback=settings.fetch_loopback_hosts).get(url).body.decode("utf-8", "replace")
    except FetchRefused as refused:
        if refused.code in ("fetch_host", "fetch_scheme", "fetch_url"):
            raise InvalidInput("not a WeChat article link", field="url", code="wechat_not_article") from None
        raise
    except FetchFailed as failed:
        code = "wechat_expired" if kind == "temporary" and failed.status in (403, 404) else failed.code
        raise InvalidInput(failed.message, field="url", code=code, status=failed.status) from None
    problem = wechat.page_problem(page)
    if problem == "wechat_not_article" and kind == "temporary":
        problem = "wechat_expired"
    if problem:
        raise InvalidInput(MESSAGES[problem], field="url", code=problem)
    return _store(wechat.read_page(page), category, url, kind)


def import_paste(content: str, category: str, title: str | None) -> Imported:
    """The same conversion on HTML copied from an article (select all, copy)."""
    if not content.strip():
        raise InvalidInput("paste the article's content", field="html", code="wechat_empty")
    require_category(category)
    article = wechat.read_page(content)
    if title:
        article.title = title
    return _store(article, category, article.link or None, None)


MESSAGES = {
    "wechat_deleted": "the article was deleted by its publisher",
    "wechat_verification": "WeChat asked for verification; paste the content instead",
    "wechat_expired": "this temporary link has expired; open the article and copy its permanent link",
    "wechat_not_article": "not a WeChat article",
}


def _store(article: wechat.Article, category: str, url: str | None, kind: str | None) -> Imported:
    from chalicelib.richtext.convert import html_to_blocks  # nh3: loaded for imports only

    converted = html_to_blocks(article.body, url)
    blocks, failed = _localise(_with_videos(converted.blocks, article.videos))
    blocks += _original_links(article, url)
    if not blocks:
        raise InvalidInput("the article has no content that could be imported", field="html", code="wechat_empty")
    title = (article.title or _first_text(blocks) or "公众号文章")[:MAX_TITLE]
    fields = article_fields(
        {
            "title": title,
            "category": category,
            "author": article.author[:200] or None,
            "source": article.account[:200] or None,
            "body": blocks,
        },
        with_version=False,
    )
    published = article.published_at.isoformat() if article.published_at else None
    return Imported(editorial.create_article(fields), failed, converted.dropped, kind, published)


def _with_videos(blocks: list[dict[str, Any]], vids: list[str]) -> list[dict[str, Any]]:
    """Marker paragraphs back into video blocks (v.qq.com's player by vid)."""
    result = []
    for block in blocks:
        text = str(block.get("text") or "").strip()
        if block.get("type") == "paragraph" and text.startswith(wechat.VIDEO_MARKER):
            suffix = text.removeprefix(wechat.VIDEO_MARKER)
            index = int(suffix) if suffix.isdecimal() else -1
            if 0 <= index < len(vids):
                result.append({"type": "video", "url": f"https://v.qq.com/x/page/{vids[index]}.html"})
            continue
        result.append(block)
    return result


def _localise(blocks: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Each photo placeholder fetched into a photo; a failed one left out and reported at its position."""
    kept: list[dict[str, Any]] = []
    failed: list[dict[str, Any]] = []
    downloads = _download_images([str(b.get("src") or "") for b in blocks if _placeholder(b)])
    for block in blocks:
        if not _placeholder(block):
            kept.append(block)
            continue
        caption, src = str(block.get("caption") or ""), str(block.get("src") or "")
        extra = []
        if len(caption) > MAX_CAPTION_LINE:  # a long centred paragraph under a photo is text, not a caption
            extra, caption = [{"type": "paragraph", "text": caption}], ""
        try:
            data = downloads[src]
            if isinstance(data, NewsroomError):
                raise data
            photo = photo_intake.photo_from_bytes(data, photo_intake.image_name(src, photo_intake.image_type(data)))
        except NewsroomError as error:
            failed.append({"position": len(kept), "src": src, "caption": caption, "code": _code(error)})
            kept += extra
            continue
        alt = str(block.get("alt") or "")
        kept.append({"type": "photo", "photo_id": photo.photo_id, "caption": caption[:MAX_CAPTION] or None})
        if alt and alt != caption and len(alt) <= MAX_CAPTION:
            kept[-1]["alt"] = alt
        kept += extra
    return kept, failed


def _placeholder(block: dict[str, Any]) -> bool:
    return block.get("type") == "photo" and not block.get("photo_id")


def _download_images(sources: list[str]) -> dict[str, bytes | NewsroomError]:
    """Every image's bytes (or why not), fetched a few at a time; they are stored one by one afterwards, so
    two copies of one picture are still one photo."""
    fetcher = photo_intake.image_fetcher()

    def download(src: str) -> bytes | NewsroomError:
        try:
            return fetcher.get(src).body
        except NewsroomError as error:
            return error

    unique = list(dict.fromkeys(sources))
    with ThreadPoolExecutor(PARALLEL_FETCHES) as pool:
        return dict(zip(unique, pool.map(download, unique), strict=True))


def _code(error: NewsroomError) -> str:
    return error.code if error.code != error.default_code else "photo_failed"  # a specific code, else ours


def _original_links(article: wechat.Article, url: str | None) -> list[dict[str, Any]]:
    """The article's own link (and its 阅读原文 link) as a last paragraph with links."""
    links = [u for u in dict.fromkeys([article.source_url, article.link or url or ""]) if u.startswith("http")]
    if not links:
        return []
    text, marks = ORIGINAL, []
    for href in links:
        if len(text) > len(ORIGINAL):
            text += "\n"
        marks.append({"type": "link", "start": len(text), "end": len(text) + len(href), "href": href})
        text += href
    return [{"type": "paragraph", "text": text, "marks": marks}]


def _first_text(blocks: list[dict[str, Any]]) -> str:
    return next((str(b["text"]).split("\n")[0] for b in blocks if b.get("text")), "")
