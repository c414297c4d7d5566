"""Benchmark: the editor's actions to write the reference article, before and after issue 29 (item 1).

The reference article (/work/shared/reference/sample-page.md): 9 paragraphs (about 2,500 characters) and 26
captioned photos in runs of 1-10 between them. Debian's Chromium (Playwright) writes it twice at 1280 px in
the editors' app on the real local stack, counting every action an editor would make:

- before (the baseline, a workflow the app still allows): the 9 paragraphs, then all 26 photos chosen at
  once with the cursor in the last paragraph (they land after it), each moved into place with its block's
  ↑ (a click, then Enter while the focus stays on the moved block's button), then captioned one by one in
  the editor (a click in each caption field, then the caption);
- after: each run of photos chosen with the cursor in the paragraph it follows (they land there, the cursor
  in the last one's caption, so 添加段落 continues below them), then the 26 captions typed in the caption
  list (图注列表: the first field has the focus, Tab between fields).

Choosing files counts 添加图片, the file dialog's selection (a click, or a click and a shift-click for
several files) and 打开. Keystrokes are characters typed and keys pressed (Tab). Both articles are
published, and the block order in the editor and on the published page is checked against the reference.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.report import Row, arguments, finish

CHROMIUM = "/usr/bin/chromium"
# Photos after each of the 9 paragraphs (26 in all, in runs of 1-10): a government visit, the congress's
# speakers, awards; moved into place from the end this takes 97 presses of ↑, as the issue counted.
RUNS = (2, 1, 2, 3, 2, 10, 3, 3, 0)
TOPICS = (
    "4月18日，市物业管理协会第三届会员代表大会在市会议中心召开",
    "市住房和城乡建设局有关负责同志到会指导并讲话",
    "会议审议通过了第二届理事会工作报告和财务工作报告",
    "大会以无记名投票方式选举产生了第三届理事会和监事会",
    "新当选的会长代表新一届理事会作表态发言",
    "十位会员单位代表围绕服务品质提升和行业自律作交流发言",
    "会议表彰了一批优秀物业服务项目和先进个人",
    "会后召开第三届理事会第一次会议，研究部署年度重点工作",
    "协会将继续发挥桥梁纽带作用，推动全市物业服务行业高质量发展",
)
DETAILS = (
    "与会代表认真听取报告，结合本单位实际展开讨论，",
    "大家一致认为过去五年行业规模持续扩大、服务水平稳步提高，",
    "同时也要看到老旧小区服务、收费透明和人才培养等方面仍有短板，",
    "下一步要以群众满意为标准，完善标准体系和信用评价，",
    "推动智慧物业建设，提升应急处置能力，",
    "切实把协会建设成为会员信赖、政府放心、业主认可的行业组织，",
    "各会员单位要加强从业人员培训，持证上岗比例逐年提高，",
    "积极参与垃圾分类、电梯安全和消防通道整治等专项工作，",
    "主动接受业主和社会监督，及时回应群众关切，",
    "在疫情防控和防汛救灾中继续发挥物业服务企业的积极作用，",
    "鼓励企业探索养老、托育等社区延伸服务，",
    "协会秘书处将定期收集会员意见建议并向主管部门反映。",
)
SCENES = ("大会现场", "代表报到", "主席台", "代表投票", "监票计票", "合影留念")
PEOPLE = ("市住建局副局长", "协会会长", "协会副会长", "协会秘书长", "会员单位代表", "项目经理")
NAMES = "王张李赵陈刘杨黄周吴徐孙马朱胡郭何林高罗郑梁谢宋唐许"


@dataclass
class Actions:
    """What the editor did: clicks, keystrokes (characters typed, keys pressed), drags, ↑/↓ presses."""

    clicks: int = 0
    keystrokes: int = 0
    drags: int = 0
    arrows: int = 0

    @property
    def total(self) -> int:
        return self.clicks + self.keystrokes + self.drags + self.arrows

    @property
    def besides_text(self) -> int:
        """Everything but typing the article's own words (the same in both workflows)."""
        return self.total - sum(len(p) for p in paragraphs()) - sum(len(c) for c in captions())


def paragraphs() -> list[str]:
    """The 9 paragraphs, about 2,500 characters in all (written for this benchmark, in the reference's shape)."""
    return [
        f"{topic}。" + "".join(DETAILS[(i + j) % len(DETAILS)] for j in range(10)) for i, topic in enumerate(TOPICS)
    ]


def captions() -> list[str]:
    """The 26 one-line captions: a person's title and name, or a scene."""
    return [
        f"{PEOPLE[i % len(PEOPLE)]}{NAMES[i]}某某发言" if i % 3 else f"{SCENES[(i // 3) % len(SCENES)]}（{i + 1}）"
        for i in range(sum(RUNS))
    ]


def photo_names() -> list[str]:
    return [f"{n + 1:02d}.jpg" for n in range(sum(RUNS))]


def interleaved(photos: list[str]) -> list[str]:
    """Each paragraph's text, each followed by its run of `photos` (file names, or captions)."""
    shown, order = iter(photos), []
    for text, run in zip(paragraphs(), RUNS, strict=True):
        order += [text] + [next(shown) for _ in range(run)]
    return order


def reference_order() -> list[str]:
    """The blocks as the editor sees them before captioning: each photo shows its file's name."""
    return interleaved(photo_names())


def published_order() -> list[str]:
    """The article as a reader sees it: each paragraph's text, each photo's caption."""
    return interleaved(captions())


def photo_files(folder: Path) -> list[Path]:
    """26 small JPEGs, each a different colour (Pillow)."""
    from tests.browser.test_editors_app import jpeg

    files = []
    for n, name in enumerate(photo_names()):
        path = folder / name
        path.write_bytes(jpeg(n, 640, 480 if n % 4 else 800))
        files.append(path)
    return files


def block_names(page: Any) -> list[str]:
    from tests.browser.test_editors_placement import block_names as names

    return list(names(page))


def type_text(page: Any, actions: Actions, text: str) -> None:
    page.keyboard.insert_text(text)
    actions.keystrokes += len(text)


def click(locator: Any, actions: Actions) -> None:
    locator.click()
    actions.clicks += 1


def choose(page: Any, actions: Actions, files: list[Path]) -> None:
    """添加图片, the dialog's selection (a click, or a click and a shift-click), 打开."""
    page.get_by_label("添加图片").set_input_files(files)
    actions.clicks += 2 + (1 if len(files) > 1 else 0)


def start(page: Any, actions: Actions, title: str) -> None:
    from tests.browser.test_editors_app import new_article

    new_article(page, title)  # 新建文章, the title field, the category (two clicks)
    actions.clicks += 4
    actions.keystrokes += len(title)
    click(page.get_by_label("段落", exact=True).first, actions)


def write_paragraph(page: Any, actions: Actions, index: int, text: str) -> None:
    if index:
        click(page.get_by_role("button", name="添加段落"), actions)  # the new paragraph has the focus
    type_text(page, actions, text)


def write_before(page: Any, files: list[Path]) -> tuple[Actions, list[str]]:
    """The baseline: all photos at the end, moved into place with ↑, captioned in the editor."""
    from tests.browser.test_editors_app import wait_for_thumbnails

    actions = Actions()
    start(page, actions, "会员代表大会（之前的写法）")
    for index, text in enumerate(paragraphs()):
        write_paragraph(page, actions, index, text)
    choose(page, actions, files)  # the cursor is in the last paragraph
    wait_for_thumbnails(page, len(files))
    for target, name in zip(
        [i for i, b in enumerate(reference_order()) if b.endswith(".jpg")], photo_names(), strict=True
    ):
        presses = block_names(page).index(name) - target
        page.locator(".block").nth(target + presses).locator("[data-action=up]").click()
        for _ in range(presses - 1):
            page.keyboard.press("Enter")  # the focus stays on the moved block's ↑
        actions.arrows += presses
    placed = block_names(page)  # before captioning: a photo shows its file's name
    for index, caption in enumerate(captions()):
        click(page.locator(".caption-input").nth(index), actions)
        type_text(page, actions, caption)
    return actions, placed


def write_after(page: Any, files: list[Path]) -> tuple[Actions, list[str]]:
    """Photos chosen where they go, captions typed in the caption list."""
    from tests.browser.test_editors_app import wait_for_thumbnails

    actions = Actions()
    start(page, actions, "会员代表大会（现在的写法）")
    chosen = iter(files)
    for index, (text, run) in enumerate(zip(paragraphs(), RUNS, strict=True)):
        write_paragraph(page, actions, index, text)
        if run:
            choose(page, actions, [next(chosen) for _ in range(run)])
    wait_for_thumbnails(page, len(files))
    placed = block_names(page)
    click(page.get_by_role("button", name="图注列表"), actions)  # the first caption field has the focus
    for index, caption in enumerate(captions()):
        if index:
            page.keyboard.press("Tab")
            actions.keystrokes += 1
        type_text(page, actions, caption)
    click(page.get_by_role("button", name="返回正文"), actions)
    return actions, placed


def publish(page: Any, actions: Actions, site_url: str) -> list[str]:
    """保存, 发布, then the published page's blocks (paragraph texts, photo captions) in order."""
    click(page.get_by_role("button", name="保存"), actions)
    page.get_by_text("已保存。").wait_for()
    click(page.get_by_role("button", name="发布", exact=True), actions)
    page.get_by_text("文章已发布。").wait_for()
    reader = page.context.new_page()
    reader.goto(site_url + page.locator(".publish-state a").get_attribute("href"))
    shown = reader.locator(".body p, .body figcaption").evaluate_all(
        "nodes => nodes.filter(n => !n.closest('figcaption') || n.tagName === 'FIGCAPTION').map(n => n.innerText)"
    )
    reader.close()
    return list(shown)


def write_reference(browser: Any, site: Any, before: bool, folder: Path) -> tuple[Actions, list[str], list[str]]:
    """One workflow in a fresh context at 1280 px: its actions, the editor's block order, the published one."""
    from tests.browser.test_editors_app import log_in, open_app

    page = open_app(browser, site)
    log_in(page)
    actions, editor = (write_before if before else write_after)(page, photo_files(folder))
    published = publish(page, actions, site.url)
    errors = list(page.errors)
    page.context.close()
    if errors:
        raise RuntimeError(f"the app raised: {errors}")
    return actions, editor, published


def measure() -> list[Row]:
    from playwright.sync_api import sync_playwright

    from bench.local_aws import configure_environment

    configure_environment()  # the settings the test helpers import with (the stack has its own)
    from tests.browser.conftest import ARGS, DEMO_PASSWORD
    from tests.local_stack import Stack

    results = {}
    with tempfile.TemporaryDirectory(prefix="editor-workflow-") as work, sync_playwright() as playwright:
        stack = Stack(Path(work) / "data", NEWSROOM_DEMO_PASSWORD=DEMO_PASSWORD)
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        try:
            for before in (True, False):
                folder = Path(work) / ("before" if before else "after")
                folder.mkdir()
                actions, editor, published = write_reference(browser, stack, before, folder)
                in_order = editor == reference_order() and published == published_order()
                results[before] = (actions, in_order)
        finally:
            browser.close()
            stack.stop()
    return rows(results[True], results[False])


def rows(before: tuple[Actions, bool], after: tuple[Actions, bool]) -> list[Row]:
    (old, old_order), (new, new_order) = before, after
    name = "editor workflow"
    lines = [
        ("clicks", new.clicks, old.clicks),
        ("↑/↓ presses", new.arrows, old.arrows),
        ("drags", new.drags, old.drags),
        ("keystrokes (characters typed, Tab)", new.keystrokes, old.keystrokes),
        ("actions besides typing the article's words", new.besides_text, old.besides_text),
        ("all actions", new.total, old.total),
    ]
    result = [Row(name, what, str(ours), str(base), f"{ours / base:.2f}" if base else "") for what, ours, base in lines]
    in_order = ("yes" if new_order else "NO", "yes" if old_order else "NO")
    result.append(Row(name, "blocks in the reference order, in the editor and published", *in_order))
    return result


def main() -> None:
    options = arguments(__doc__ or "").parse_args()
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"no browser at {CHROMIUM}: apt-get install -y chromium fonts-noto-cjk")
    finish(measure(), options.json)


if __name__ == "__main__":
    main()
