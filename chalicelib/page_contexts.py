"""What each page template gets: the names documented once, for `pages.render_page` to hold every render to and
tests/test_pages.py to hold the templates to."""

from __future__ import annotations

# What base.html (and so every page) gets.
BASE_CONTEXT = {
    "site": (
        "name, language, today (the date line; empty on the static 404 page), year, contact_url, login_url, "
        "home_url, search_url, links_url, script_url, cursor_url, address, phone, icp (filing number), icp_url, "
        "public_security (filing number), public_security_url; the optional ones empty when unset; and "
        "short_name (empty unless it differs), tagline, logo, footer_links, caption_style (chrome_context.py)"
    ),
    "labels": "interface text in the site's language (chalicelib/labels.py)",
    "menu": "top-level categories, each with name and url; empty if the navigation could not be read",
    "notices": "notice articles (as many as the site shows), each with title and url; empty without navigation",
    "breadcrumb": "the page's category trail, outermost first, each with name and url; empty off category pages",
    "links": "友情链接 for the footer: the groups with links (name, links: name, url, logo None), in order",
    "head": (
        "for search engines, previews and feeds (page_heads.py): title, description, canonical_url, robots, "
        "og_type, locale, image (url, width, height, alt), published_time, modified_time, json_ld (escaped), "
        "prev_url, next_url, feeds (title, url), icon_url; absolute URLs"
    ),
}

# What each page template gets on top of BASE_CONTEXT.
PAGE_CONTEXTS: dict[str, dict[str, str]] = {
    "home.html": {
        "headlines": "the carousel: up to 5 flagged 幻灯 articles with a photo, else the newest with one: title, url, "
        "date, datetime, photo (_photo, title as caption)",
        "channels": "top-level categories, each with name, url and its latest articles (as in category.html)",
        "headline": "the 头条 article (title, subtitle, url, date, datetime) or None",
        "recommended": "推荐 articles, as in channels",
        "carousel": "False when headlines are the newest photos (a grid); True for editors' 幻灯: one photo a row, "
        "which reader.js turns into a pausable carousel",
    },
    "topic.html": {
        "topic": "the 专题: title, intro (plain text), url, feed_url, banner (a photo as in _photo, or None)",
        "articles": "its articles readers may see, in the editors' order (as in category.html)",
    },
    "links.html": {
        "groups": "友情链接 by group, as the footer's, each link's logo None or src, srcset, sizes, width, height",
    },
    "category.html": {
        "category": "the category shown: name",
        "subcategories": "its child categories, each with name and url",
        "articles": "this page of its articles, newest first: title, subtitle, url, date, datetime",
        "next_url": "the next page's url, or None on the last page",
        "first_url": "the first page's url, or None on the first page",
        "previous_url": "the previous page's url (the first page's on the second), or None on the first page",
        "total": "how many articles the category holds",
    },
    "article.html": {
        "article": "title, subtitle, date, datetime (ISO 8601), source, author, views (this view included in "
        "server mode; as of the render in beacon mode)",
        "list_url": "its category's listing",
        "older": "the previous article in its category (title, url, date, datetime), or None",
        "newer": "the next article in its category (title, url, date, datetime), or None",
        "related": "a few more articles of its category: title, url, date, datetime",
        "body": "the body's HTML (article_body.html's, Markup), the same for every view of the stored article",
        "counting": "beacon mode: url (a POST there counts the view and answers it) and script_url; else None",
        "topics": "the 专题 listing it, each with title and url (topic_directory.py); empty if none",
    },
    "preview.html": {
        "article": "title, subtitle, date (of publication, or of the last save), datetime, source, author; no views",
        "list_url": "its category's listing",
        "older": "None: a preview has no neighbours",
        "newer": "None",
        "related": "empty",
        "body": "as article.html's",
        "counting": "None: a preview counts nothing",
        "topics": "empty",
    },
    "admin.html": {
        "site": "name, language, home_url",
        "labels": "interface text in the site's language (chalicelib/labels.py)",
        "app": "the editors' app shell's settings: assets_url, base_path, api_base, media_origin, timezone",
    },
    "article_body.html": {
        "blocks": "the body in order: paragraph and quote with runs (richtext.text.runs), list with ordered and "
        "entries (runs, nested entries), table with head (cells or None) and rows of cells (runs), heading with text, "
        "photo with photo (see _photo), attachment with url, filename, label and size, video with caption and "
        "player (an allowed provider's iframe URL) or src and poster (an MP4 of ours)",
        "labels": "interface text in the site's language (chalicelib/labels.py)",
    },
    "feed_content.html": {
        "blocks": "as article_body.html's (photos are left out)",
        "labels": "interface text in the site's language (chalicelib/labels.py)",
    },
    "search.html": {
        "query": "the search as typed (normalised), shown back in the form; empty if none",
        "problem": "None, or why the query was not searched: empty, too_long or no_words (the search_{problem} label)",
        "results": "this page's hits, most relevant first: url, date, category (a name or None), title and snippet "
        "as segments (text, mark: a matched term)",
        "next_url": "the next page's url, or None",
        "previous_url": "the previous page's url, or None",
    },
    "error.html": {
        "kind": "not_found, bad_request or error: picks the {kind}_title and {kind}_text labels",
    },
}


# Pages that do not extend base.html (no reader chrome, no inline style): they get only their own context.
STANDALONE = frozenset({"admin.html", "article_body.html", "feed_content.html"})
