"""A WeChat article page written for the project in the real page's structure, and its failure pages.

The structure follows what WeChat serves (`#js_content` in `.rich_media_content`, nested `<section>`s with
inline styles, lazy `data-src` images on an image host without extensions and `wx_fmt`, a placeholder `src`,
centred caption lines, a `background-image` photo, an `iframe.video_iframe` for a Tencent video, the metadata in
`<meta>` tags and script variables). Image URLs point at `image_origin`, the tests' stand-in for mmbiz.qpic.cn.
"""

from __future__ import annotations

import io

from PIL import Image

TITLE = "协会召开2026年度会员大会"
ACCOUNT = "城市物业管理行业协会"
AUTHOR = "协会秘书处"
CT = 1796436000  # 2026-12-05 10:00 +08:00
VID = "x0031abcdef"
PLACEHOLDER = (
    "data:image/svg+xml,%3C%3Fxml%20version%3D'1.0'%20encoding%3D'UTF-8'%3F%3E%3Csvg%20width%3D'1px'%3E%3C/svg%3E"
)


def caption(n: int) -> str:
    return f"图{n}：会议现场（{n}）"


def photo_bytes(n: int) -> bytes:
    """A distinct JPEG per photo (each content is its own photo)."""
    out = io.BytesIO()
    Image.new("RGB", (320 + n, 200), ((n * 37) % 256, (n * 91) % 256, 120)).save(out, "JPEG", quality=80)
    return out.getvalue()


def image_path(n: int) -> str:
    return f"/mmbiz_jpg/AbCd{n:03d}/640?wx_fmt=jpeg&from=appmsg"


def _photo(image_origin: str, n: int) -> str:
    if n == 2:  # a background-image photo, as some editors' templates make them
        return (
            f'<section style="text-align: center;"><section style="display: inline-block; width: 100%; '
            f"background-image: url(&quot;{image_origin}{image_path(n)}&quot;); background-size: cover;"
            f' height: 200px;"><br></section></section>'
        )
    crop = f' data-croporisrc="{image_origin}{image_path(n)}"' if n == 3 else ""
    source = "" if n == 3 else f' data-src="{image_origin}{image_path(n)}"'
    return (
        f'<p style="text-align: center;"><img class="rich_pages wxw-img" data-ratio="0.625" data-s="300,640"'
        f'{source}{crop} data-type="jpeg" data-w="1080" style="width: 100%;" src="{PLACEHOLDER}"></p>'
    )


def article_page(image_origin: str, photos: int = 3, missing: tuple[int, ...] = (), table: bool = True) -> str:
    """The article with `photos` photos, each followed by its centred caption line; `missing` ones 404."""
    parts = []
    for n in range(1, photos + 1):
        src_origin = image_origin if n not in missing else image_origin + "/gone"
        parts.append(
            f'<section style="margin: 10px 0; line-height: 1.75;"><p style="text-indent: 2em;"><span '
            f'style="font-size: 15px; color: rgb(62, 62, 62);">第{n}段：12月5日，协会召开年度会员大会，'
            f"<strong>全体理事</strong>出席。<br>会议审议了工作报告。</span></p></section>"
            f"{_photo(src_origin, n)}"
            f'<p style="text-align: center;"><span style="font-size: 12px; color: rgb(136, 136, 136);">'
            f"{caption(n)}</span></p>"
        )
    video = (
        f'<p style="text-align: center;"><iframe class="video_iframe rich_pages" data-vidtype="2" '
        f'data-cover="{image_origin}/cover.jpg" allowfullscreen frameborder="0" data-ratio="1.76" data-w="848" '
        f'data-src="https://v.qq.com/iframe/preview.html?vid={VID}&amp;width=500&amp;height=375&amp;auto=0">'
        f"</iframe></p>"
    )
    schedule = (
        ""
        if not table
        else (
            '<section><table><tbody><tr><td style="text-align: center;"><strong>议程</strong></td><td>时间</td></tr>'
            "<tr><td>开幕</td><td>9:00</td></tr></tbody></table></section>"
        )
    )
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8">
<meta property="og:title" content="{TITLE}">
<meta property="og:url" content="http://mp.weixin.qq.com/s?__biz=MzA5NjAxMjM0NQ==&amp;mid=2650000001&amp;idx=1&amp;sn=abc123">
<meta name="author" content="{AUTHOR}">
<title>{TITLE}</title></head>
<body id="activity-detail" class="zh_CN">
<div class="rich_media_area_primary"><h1 class="rich_media_title" id="activity-name">{TITLE}</h1>
<div id="meta_content"><span class="rich_media_meta rich_media_meta_text">{AUTHOR}</span>
<span class="rich_media_meta rich_media_meta_nickname" id="profileBt"><a href="javascript:void(0);" id="js_name">
{ACCOUNT}</a></span><em id="publish_time" class="rich_media_meta rich_media_meta_text"></em></div>
<div class="rich_media_content js_underline_content" id="js_content" style="visibility: hidden;">
<section style="font-size: 16px; letter-spacing: 1px;" data-mpa-powered-by="yiban.io">
{"".join(parts)}{video}{schedule}
<p><br></p><p style="display: none;"><mp-style-type data-value="3"></mp-style-type></p>
</section></div></div>
<script type="text/javascript">
var nickname = htmlDecode("{ACCOUNT}");
var msg_title = '{TITLE}'.html(false);
var ct = "{CT}";
var msg_link = "http://mp.weixin.qq.com/s?__biz=MzA5NjAxMjM0NQ==&amp;mid=2650000001&amp;idx=1&amp;sn=abc123#rd";
var msg_source_url = 'https://www.example.org/notice/2026-12.html';
</script>
<script>document.getElementById("js_content").style.visibility="visible";</script>
</body></html>"""


DELETED_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title></title></head><body>
<div class="weui-msg"><div class="weui-msg__text-area"><h2 class="weui-msg__title">该内容已被发布者删除</h2>
</div></div></body></html>"""

CAPTCHA_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>微信公众平台</title></head><body>
<div class="weui-msg"><p class="weui-msg__title">环境异常</p>
<p class="weui-msg__desc">当前环境异常，完成验证后即可继续访问。</p>
<a class="weui-btn weui-btn_primary" href="javascript:;" id="js_verify">去验证</a></div>
<script src="https://res.wx.qq.com/mmbizappmsg/zh_CN/htmledition/js/secitptpage/verify.js"></script></body></html>"""

EXPIRED_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>
<div class="weui-msg"><p class="weui-msg__title">链接已过期</p></div></body></html>"""


def routes(
    image_origin: str, photos: int = 3, missing: tuple[int, ...] = (), table: bool = True
) -> dict[str, tuple[int, dict[str, str], bytes]]:
    """The fixture server's answers: the article, its images, the failure pages."""
    html = {"Content-Type": "text/html; charset=utf-8"}
    page = article_page(image_origin, photos, missing, table).encode()
    answers = {
        "/s?__biz=MzA5NjAxMjM0NQ==&mid=2650000001&idx=1&sn=abc123": (200, html, page),
        "/s/AbCdEfGh123": (200, html, page),
        "/s/deleted": (200, html, DELETED_PAGE.encode()),
        "/s/captcha": (200, html, CAPTCHA_PAGE.encode()),
        "/s?src=11&timestamp=1700000000&ver=1&signature=abc": (200, html, EXPIRED_PAGE.encode()),
    }
    for n in range(1, photos + 1):
        answers[image_path(n)] = (200, {"Content-Type": "image/jpeg"}, photo_bytes(n))
    return answers
