"""DedeCMS channels -> categories (ops/dedecms/importer.py: import_channels), without a database: order and
positions, what is skipped and why, three levels folded into the top one, long names, typedirs and slugs."""

from __future__ import annotations

import pytest

from chalicelib import categories
from ops.dedecms.importer import Options, Target, import_channels
from ops.dedecms.report import Report
from ops.dedecms.source import Channel


def channel(id: int, parent: int, position: int, name: str, typedir: str, ispart: int = 0) -> Channel:
    return Channel(id, parent, position, name, typedir, ispart)


CHANNELS = [
    channel(5, 0, 3, "协会官网", "http://www.example.org/", ispart=2),  # a link: skipped, and its child
    channel(6, 5, 1, "友情链接", "{cmspath}/a/links"),
    channel(7, 6, 1, "更多链接", "{cmspath}/a/links/more"),  # under a skipped channel, three levels deep
    channel(3, 2, 1, "地方动态", "{cmspath}/a/news/industry/local"),  # third level: folded into 新闻中心
    channel(2, 1, 2, "行业动态", "{cmspath}/a/news/Industry_News"),
    channel(4, 0, 2, "通知公告", "{cmspath}/a/tongzhi/"),
    channel(1, 0, 1, "新闻中心", "{cmspath}/a/news"),
    channel(8, 1, 1, "会员风采" + "长" * 100, "{cmspath}/a/news/会员"),  # no usable folder name
    channel(9, 0, 4, "网站首页", "{cmspath}"),  # the site's root: no folder of its own
    channel(10, 0, 5, "新闻", "Xinwen"),  # written without {cmspath} or a slash
]


def test_channels_become_categories_in_order_with_what_was_skipped_and_why():
    report = Report()
    targets = import_channels(CHANNELS, Options(cmspath="/old/"), report)
    assert [(c.slug, c.name, c.parent, c.position) for c in categories.list_categories()] == [
        ("news", "新闻中心", None, 10),
        ("tongzhi", "通知公告", None, 20),
        ("channel-9", "网站首页", None, 30),
        ("xinwen", "新闻", None, 40),
        ("channel-8", ("会员风采" + "长" * 100)[:100], "news", 50),
        ("industry-news", "行业动态", "news", 60),
    ]
    assert report.skipped == [
        ("channel 5 协会官网", "a link to another site, not a list of articles"),
        ("channel 6 友情链接", "its parent channel was skipped"),
        ("channel 7 更多链接", "its parent channel was skipped"),  # every channel is accounted for
    ]
    assert report.warnings == ["channel 3 地方动态: nested three levels deep, its articles go to news"]
    assert targets == {
        1: Target("news", folded=False, old_path="/old/a/news"),
        4: Target("tongzhi", folded=False, old_path="/old/a/tongzhi"),
        9: Target("channel-9", folded=False, old_path="/old"),
        10: Target("xinwen", folded=False, old_path="/Xinwen"),
        8: Target("channel-8", folded=False, old_path="/old/a/news/会员"),
        2: Target("industry-news", folded=False, old_path="/old/a/news/Industry_News"),
        3: Target("news", folded=True, old_path="/old/a/news/industry/local"),
    }


@pytest.mark.parametrize(
    ("typedir", "slug"),
    [
        ("{cmspath}/a/news/Industry_News", "industry-news"),
        ("{cmspath}/a/hui__yuan--ming.dan/", "hui-yuan-ming-dan"),  # each run of other characters is one "-"
        ("{cmspath}/a/inboX", "inbox"),  # ends in a letter the slashes are stripped from
        ("/a/_会员_/", "channel-3"),
        ("{cmspath}/a/" + "n" * 60, "n" * 56),  # room for "-3" should another channel have that slug
        ("{cmspath}", "channel-3"),
    ],
)
def test_a_channel_s_slug_is_its_last_folder_in_words_a_slug_may_hold(typedir, slug):
    targets = import_channels([channel(3, 0, 1, "栏目", typedir)], Options(), Report())
    assert targets[3].slug == slug
    assert [c.slug for c in categories.list_categories()] == [slug]


def test_a_taken_slug_gets_the_channel_s_id():
    long = "{cmspath}/" + "n" * 60
    targets = import_channels(
        [channel(1, 0, 1, "甲", long), channel(1234567, 0, 2, "乙", long + "/")], Options(), Report()
    )
    assert [targets[1].slug, targets[1234567].slug] == ["n" * 56, "n" * 56 + "-1234567"]
