"""Every piece of interface text, per language, in one place."""

from __future__ import annotations

LABELS: dict[str, dict[str, str]] = {
    "zh-CN": {
        "welcome": "欢迎您，今天是",
        "login": "编辑登录",
        "contact": "联系我们",
        "notices": "重要通知",
        "home": "首页",
        "published": "发布",
        "source": "文章来源",
        "author": "作者",
        "views": "查看",
        "views_unit": "次",
        "latest": "最新文章",
        "more": "更多",
        "next_page": "下一页",
        "first_page": "第一页",
        "no_articles": "暂无文章",
        "photo_pending": "图片处理中",
        "photo_unavailable": "图片暂不可用",
        "not_found_title": "页面未找到",
        "not_found_text": "您访问的页面不存在或已被删除。",
        "bad_request_title": "请求无效",
        "bad_request_text": "请求的参数无效。",
        "error_title": "服务暂时不可用",
        "error_text": "服务器暂时无法处理您的请求，请稍后再试。",
        "back_home": "返回首页",
        "preview": "预览",
        "preview_text": "此页面仅供编辑查看，读者看到的以发布后的页面为准。",
        "admin_title": "编辑登录",
        "admin_text": (
            "网页版编辑后台正在建设中。编辑人员请使用编辑接口登录和发稿："
            "POST /api/session 获取令牌，然后调用 /api/articles。"
        ),
        "copyright": "版权所有",
        "breadcrumb": "当前位置",
        "weekday_0": "星期一",
        "weekday_1": "星期二",
        "weekday_2": "星期三",
        "weekday_3": "星期四",
        "weekday_4": "星期五",
        "weekday_5": "星期六",
        "weekday_6": "星期日",
        "date_format": "{year}年{month}月{day}日",
    },
    "en": {
        "welcome": "Welcome, today is",
        "login": "Editor login",
        "contact": "Contact us",
        "notices": "Important notices",
        "home": "Home",
        "published": "Published",
        "source": "Source",
        "author": "Author",
        "views": "Views",
        "views_unit": "",
        "latest": "Latest articles",
        "more": "More",
        "next_page": "Next page",
        "first_page": "First page",
        "no_articles": "No articles yet",
        "photo_pending": "Photo is being processed",
        "photo_unavailable": "Photo unavailable",
        "not_found_title": "Page not found",
        "not_found_text": "The page you asked for does not exist or has been removed.",
        "bad_request_title": "Bad request",
        "bad_request_text": "The request's parameters are not valid.",
        "error_title": "Service temporarily unavailable",
        "error_text": "The server could not handle your request. Please try again later.",
        "back_home": "Back to the home page",
        "preview": "Preview",
        "preview_text": "This page is for editors only; readers see the article once it is published.",
        "admin_title": "Editor login",
        "admin_text": (
            "The web editor is on its way. Editors log in and publish through the API: "
            "POST /api/session for a token, then /api/articles."
        ),
        "copyright": "All rights reserved",
        "breadcrumb": "You are here",
        "weekday_0": "Monday",
        "weekday_1": "Tuesday",
        "weekday_2": "Wednesday",
        "weekday_3": "Thursday",
        "weekday_4": "Friday",
        "weekday_5": "Saturday",
        "weekday_6": "Sunday",
        "date_format": "{year}-{month:02d}-{day:02d}",
    },
}


def labels_for(language: str) -> dict[str, str]:
    """Labels for `language`, falling back to zh-CN for unknown ones."""
    return LABELS.get(language, LABELS["zh-CN"])
