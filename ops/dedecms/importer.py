"""`import-dedecms`: a DedeCMS database and its web root -> categories, articles, photos and old URLs.

Channels (arctype) become categories, one level of nesting: a channel three levels deep folds into
its top-level channel (reported). Articles (archives + addonarticle, channel model 1) become
articles `dede-{aid}`; `arcrank` -1 (awaiting review) stays a draft, -2 (recycle bin) is skipped.
Files the body links under /uploads/soft/, and a download's (model 3, addonsoft) files, follow its text as
attachment blocks (files.py).
Every old URL of a channel or an article is stored against its new page (`legacy`), for the 301s.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO
from zoneinfo import ZoneInfo

from chalicelib import categories, legacy
from chalicelib.page_links import category_url
from ops.dedecms.body import to_blocks
from ops.dedecms.files import FileProblem, Files, download_links, soft_links
from ops.dedecms.images import ImageProblem, Images
from ops.dedecms.report import Progress, Report
from ops.dedecms.source import ARTICLE_CHANNEL, SOFT_CHANNEL, Article, Channel, Source
from ops.dedecms.writing import article_id, field_problem, remember_redirects, save_article, usable_date

SLUG_WORDS = re.compile(r"[a-z0-9]+")  # joined by "-": what a category slug may hold (validation.SLUG)
EXTERNAL_LINK = 2  # arctype.ispart: the channel is a link to elsewhere
RECYCLED = -2  # arcrank: in DedeCMS's recycle bin
AWAITING_REVIEW = -1


@dataclass(frozen=True)
class Options:
    cmspath: str = ""  # what `{cmspath}` stood for in typedirs (the site's sub-folder, usually empty)
    timezone: str = "Asia/Shanghai"  # the old server's: article URLs carry the publication day in it
    dry_run: bool = False
    base_url: str | None = None  # the old site's address: relative links in bodies are read against it


@dataclass(frozen=True)
class Target:
    """Where one channel's articles go, and its old list URL."""

    slug: str
    folded: bool  # deeper than one level of nesting: its articles go to the top-level category
    old_path: str


def import_site(source: Source, images: Images, options: Options, progress: TextIO | None = None) -> Report:
    report = Report(dry_run=options.dry_run)
    if source.charset == "latin1" and not source.stored_as:
        report.warnings.append("the tables are latin1: if Chinese text arrives garbled, run again with --stored-as gbk")
    targets = import_channels(source.channels(), options, report)
    bar = Progress(progress, source.count_articles(), "articles")
    files = Files(images)  # one per run: its counts are the run's
    for article in source.articles():
        import_article(article, targets, images, options, report, files)
        bar.step()
    bar.finish()
    report.photos_uploaded, report.photos_reused = images.uploaded, images.reused
    report.files_uploaded, report.files_reused = files.uploaded, files.reused
    return report


def import_channels(channels: list[Channel], options: Options, report: Report) -> dict[int, Target]:
    """Channels -> categories (created or changed only where they differ); channel id -> its target."""
    by_id = {c.id: c for c in channels}
    existing = {c.slug: c for c in categories.list_categories()}
    slugs: dict[int, str] = {}
    targets: dict[int, Target] = {}
    ordered = sorted(channels, key=lambda c: (_depth(c, by_id), c.position, c.id))
    position = 0
    for channel in ordered:
        label = f"channel {channel.id} {channel.name}"
        if channel.ispart == EXTERNAL_LINK:
            report.skipped.append((label, "a link to another site, not a list of articles"))
            continue
        top = _top(channel, by_id)
        parent = by_id.get(channel.parent)
        old = legacy.old_path(_typedir(channel.typedir, options.cmspath))
        if parent is not None and parent.id not in targets:  # parents come first (by depth): that one was skipped
            report.skipped.append((label, "its parent channel was skipped"))
            continue
        if parent is not None and parent.parent != 0:  # a third level
            targets[channel.id] = Target(slugs[top.id], folded=True, old_path=old)
            report.warnings.append(f"{label}: nested three levels deep, its articles go to {slugs[top.id]}")
            continue
        slug = _slug(channel, set(slugs.values()))
        slugs[channel.id] = slug
        targets[channel.id] = Target(slug, folded=False, old_path=old)
        position += 10
        parent_slug = slugs[parent.id] if parent is not None else None
        current = existing.get(slug)
        if current is None or (current.name, current.parent, current.position) != (
            channel.name,
            parent_slug,
            position,
        ):
            report.categories.append(f"{slug} ({channel.name})")
            if not options.dry_run:
                categories.put_category(slug, channel.name[:100] or slug, parent_slug, position)
    for target in targets.values():
        remember_redirects([target.old_path], _category_path(target.slug), report, options.dry_run)
    return targets


def _published(article: Article, report: Report, label: str) -> datetime | None:
    """Its publication time; None (left as a draft, reported) for a date no site had (0001-01-01, 1970)."""
    try:
        moment = datetime.fromtimestamp(article.pubdate, UTC)
    except (ValueError, OverflowError, OSError):
        moment = None
    if moment is None or not usable_date(moment):
        report.warnings.append(f"{label}: its publication date ({article.pubdate}) is not a real one: left as a draft")
        return None
    return moment


def import_article(
    article: Article,
    targets: dict[int, Target],
    images: Images,
    options: Options,
    report: Report,
    files: Files,
) -> None:
    label = f"article {article.aid} {article.title[:40]}"
    reason = _not_importable(article, targets)
    if reason:
        report.skipped.append((label, reason))
        return
    target = targets[article.typeid]
    data: dict[str, Any] = {
        "title": article.title,
        "category": target.slug,
        "source": article.source or None,
        "author": article.writer or None,
        "flags": dede_flags(article.flag),
    }
    # title, source, author, flags: checked before any photo or file is uploaded (the body's size when saved)
    problem = field_problem(data)
    if problem:
        report.skipped.append((label, problem))
        return
    converted = to_blocks(article.body, options.base_url)
    report.warnings += [f"{label}: {w}" for w in converted.warnings]
    data["body"] = resolve_photos(converted.blocks, images, report, label)
    links = soft_links(article.body) + download_links(article.softlinks, article.title)
    data["body"] += resolve_files(links, files, report, label)
    if article.litpic:
        try:
            data["cover_photo_id"] = images.photo_for(article.litpic)
        except ImageProblem as unusable:
            report.warnings.append(f"{label}: cover photo left out: {unusable}")
    published_at = None if article.arcrank == AWAITING_REVIEW else _published(article, report, label)
    new_id = article_id(article.aid)
    if not save_article(new_id, data, published_at, article.click, report, label, options.dry_run):
        return
    if published_at is not None:
        paths = [legacy.old_path("/plus/view.php", str(article.aid)), _article_path(article, target, options)]
        remember_redirects(paths, f"/articles/{new_id}", report, options.dry_run)


DEDE_FLAGS = {"h": "headline", "f": "carousel", "c": "recommended"}  # dede_arcatt: 头条, 幻灯, 推荐


def dede_flags(flag: str) -> list[str]:
    """DedeCMS's `a.flag` ("h,f,p", say) as an article's flags; its other letters have no Newsroom meaning."""
    letters = {part.strip() for part in flag.split(",")}
    return [name for letter, name in DEDE_FLAGS.items() if letter in letters]


def resolve_photos(
    blocks: list[dict[str, Any]], images: Images, report: Report, label: str, base: Path | None = None
) -> list[dict[str, Any]]:
    """Photo blocks naming `src` -> photo blocks naming a photo; a photo that cannot be is left out, reported.

    `base`: the folder relative `src`s are in (a saved page's); site paths are read under the web root.
    """
    resolved = []
    for block in blocks:
        if block["type"] != "photo":
            resolved.append(block)
            continue
        src = block.pop("src")
        try:
            photo_id = images.photo_for(src, base)
        except ImageProblem as problem:
            caption = f" (caption: {block['caption']})" if block.get("caption") else ""
            report.warnings.append(f"{label}: photo left out: {problem}{caption}")
            continue
        block["photo_id"] = photo_id or "not-uploaded-yet"  # a dry run's placeholder
        resolved.append(block)
    return resolved


def resolve_files(links: list[tuple[str, str]], files: Files, report: Report, label: str) -> list[dict[str, Any]]:
    """Attachment blocks for the files linked, (href, name) each; one that cannot be is reported."""
    named: dict[str, str] = {}
    for href, text in links:  # each href once, named where first linked
        named.setdefault(href, text)
    blocks = []
    for href, text in named.items():
        try:
            blocks.append(files.block_for(href, text))
        except FileProblem as problem:
            report.warnings.append(f"{label}: attachment left out: {problem}")
    return blocks


def _not_importable(article: Article, targets: dict[int, Target]) -> str | None:
    if article.channel not in (ARTICLE_CHANNEL, SOFT_CHANNEL):
        return f"not an article (content model {article.channel})"
    if article.arcrank <= RECYCLED:
        return "in the recycle bin"
    if article.redirecturl:
        return f"a link to {article.redirecturl}, not an article"
    if article.typeid not in targets:
        return f"in channel {article.typeid}, which was not imported"
    return None


def _article_path(article: Article, target: Target, options: Options) -> str:
    """DedeCMS's default naming rule `{typedir}/{Y}{m}{d}/{aid}.html`, or `{typedir}/{filename}.html`."""
    if article.filename:
        name = article.filename if article.filename.endswith((".html", ".htm")) else article.filename + ".html"
        return legacy.old_path(f"{target.old_path}/{name}")
    day = datetime.fromtimestamp(article.pubdate, ZoneInfo(options.timezone)).strftime("%Y%m%d")
    return legacy.old_path(f"{target.old_path}/{day}/{article.aid}.html")


def _category_path(slug: str) -> str:
    from chalicelib.config import get_site

    site = get_site()
    return category_url(site, slug)[len(site.base_path) :]


def _typedir(typedir: str, cmspath: str) -> str:
    """The channel's folder as a path: "{cmspath}/a/news" with cmspath "/old/" is /old/a/news."""
    path = typedir.replace("{cmspath}", cmspath)
    return "/" + "/".join(part for part in path.split("/") if part)


def _depth(channel: Channel, by_id: dict[int, Channel]) -> int:
    depth, seen = 0, set()
    while channel.parent in by_id and channel.id not in seen:
        seen.add(channel.id)
        channel, depth = by_id[channel.parent], depth + 1
    return depth


def _top(channel: Channel, by_id: dict[int, Channel]) -> Channel:
    seen = set()
    while channel.parent in by_id and channel.id not in seen:
        seen.add(channel.id)
        channel = by_id[channel.parent]
    return channel


def _slug(channel: Channel, taken: set[str]) -> str:
    """From the typedir's last folder (sanitised), unique; `channel-{id}` when nothing usable is left."""
    last = _typedir(channel.typedir, "").rpartition("/")[2].lower()
    slug = "-".join(SLUG_WORDS.findall(last))[:56] or f"channel-{channel.id}"  # 56: room for "-{id}" within 64
    if slug in taken:
        slug = f"{slug}-{channel.id}"
    return slug
