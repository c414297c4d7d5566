"""Videos by allowlist: Tencent Video, Bilibili, and MP4 files uploaded here. Everything else is refused.

An editor pastes a page or player link; it is stored as `provider` + `video_id`, and readers get the
provider's own player in an iframe (the page's CSP allows exactly `FRAME_SOURCES`) or, for an MP4 of ours,
a `<video>` from the media bucket.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from chalicelib.errors import InvalidInput

FRAME_SOURCES = ("https://v.qq.com", "https://player.bilibili.com")
PROVIDERS = ("qq", "bilibili", "mp4")
ACCEPTED = "腾讯视频（v.qq.com）、哔哩哔哩（bilibili.com）或上传的 MP4 文件"
QQ_VID = re.compile(r"[A-Za-z0-9]{8,16}")
BVID = re.compile(r"BV[0-9A-Za-z]{10}")
QQ_HOSTS = {"v.qq.com", "m.v.qq.com", "film.qq.com"}
BILIBILI_HOSTS = {"www.bilibili.com", "bilibili.com", "m.bilibili.com", "player.bilibili.com"}


def refused(field: str) -> InvalidInput:
    return InvalidInput(f"only videos from {ACCEPTED} are accepted", field=field, code="video_source")


def from_url(url: str, field: str = "url") -> tuple[str, str]:
    """(provider, video_id) for a Tencent Video or Bilibili page or player link; a 400 naming `field` if not."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        raise refused(field) from None
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("http", "https"):
        raise refused(field)
    query = parse_qs(parts.query)
    if host in QQ_HOSTS:
        vid = query.get("vid", [""])[0] or parts.path.rstrip("/").rsplit("/", 1)[-1].removesuffix(".html")
        if QQ_VID.fullmatch(vid):
            return "qq", vid
    if host in BILIBILI_HOSTS:
        found = BVID.search(query.get("bvid", [""])[0] or parts.path)
        if found:
            return "bilibili", found.group(0)
    raise refused(field)


def player_url(provider: str, video_id: str) -> str:
    """The provider's embeddable player for the video (never autoplaying)."""
    if provider == "qq":
        return f"https://v.qq.com/txp/iframe/player.html?vid={video_id}"
    return f"https://player.bilibili.com/player.html?bvid={video_id}&autoplay=0"


def valid_id(provider: str, video_id: str) -> bool:
    pattern = {"qq": QQ_VID, "bilibili": BVID}.get(provider)
    return bool(pattern and pattern.fullmatch(video_id))
