"""Word checks (敏感词): admins' word lists, each tagged and set to warn or block, matched in one pass.

An article's text (title, subtitle, every text, caption, alt text and file name in its body, rich-text
blocks included) is matched against every list at once with an Aho-Corasick automaton (pyahocorasick,
imported here only), case-insensitively. A hit names its word, list, tag, mode and where it is (`title`,
`body[3].caption` ...). Saving reports hits; publishing is refused while a blocking word is in the text.
Lists live in the workflow table (`words` / `{list id}`); none is shipped but a small advertising-law
example (EXAMPLE) an admin may load.
"""

from __future__ import annotations

import functools
from typing import Any

from pynamodb.exceptions import DeleteError

from chalicelib.errors import Conflict, InvalidInput, NotFound
from chalicelib.models import WorkflowModel
from chalicelib.write_conditions import condition_failed

PK = "words"
MODES = ("warn", "block")
MAX_WORDS = 5000
MAX_WORD = 50
TEXT_KEYS = ("text", "caption", "alt", "name", "filename", "title", "href")
EXAMPLE = {  # 广告法 (Advertising Law, art. 9(3)): absolute terms; a warning, to be reviewed by a person
    "name": "广告法极限用语（示例）",
    "tag": "广告法",
    "mode": "warn",
    "words": [
        "国家级",
        "最高级",
        "最佳",
        "最低价",
        "第一品牌",
        "顶级",
        "极品",
        "首选",
        "独一无二",
        "绝无仅有",
        "万能",
        "全网最低",
        "100%有效",
    ],
}


def put_list(list_id: str, name: str, tag: str, mode: str, words: list[str]) -> dict[str, Any]:
    if mode not in MODES:
        raise InvalidInput("mode must be warn or block", field="mode", code="words_mode")
    cleaned = sorted({w.strip() for w in words if isinstance(w, str) and w.strip()})
    if len(cleaned) > MAX_WORDS or any(len(w) > MAX_WORD for w in cleaned):
        raise InvalidInput(f"at most {MAX_WORDS} words of {MAX_WORD} characters", field="words", code="words_size")
    data = {"name": name, "tag": tag, "mode": mode, "words": cleaned}
    WorkflowModel(PK, list_id, data=data).save()
    return {"id": list_id, **data}


def delete_list(list_id: str) -> None:
    item = WorkflowModel(PK, list_id)
    try:
        item.delete(condition=WorkflowModel.sk.exists())
    except DeleteError as error:
        if condition_failed(error):
            raise NotFound("word list not found", field="list", code="words_not_found") from None
        raise


def lists() -> list[dict[str, Any]]:
    return [{"id": item.sk, **item.data} for item in WorkflowModel.query(PK, consistent_read=True)]


def texts(article: dict[str, Any]) -> list[tuple[str, str]]:
    """(where, text) for every piece of text an article shows, its body's nested blocks included."""
    found = [(name, str(article[name])) for name in ("title", "subtitle") if article.get(name)]
    stack: list[tuple[str, Any]] = [(f"body[{i}]", block) for i, block in enumerate(article.get("body") or [])]
    while stack:
        path, node = stack.pop(0)
        if isinstance(node, dict):
            for key, value in node.items():
                if isinstance(value, str) and key in TEXT_KEYS:
                    found.append((f"{path}.{key}", value))
                elif isinstance(value, dict | list):
                    stack.append((f"{path}.{key}", value))
        elif isinstance(node, list):
            stack.extend((f"{path}[{i}]", item) for i, item in enumerate(node))
    return found


def check(article: dict[str, Any], word_lists: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """Every hit: word, list, tag, mode, where and the offset in that text; each (word, where) once."""
    word_lists = lists() if word_lists is None else word_lists
    if not any(wl["words"] for wl in word_lists):
        return []
    automaton = _automaton(tuple((wl["id"], wl["tag"], wl["mode"], tuple(wl["words"])) for wl in word_lists))
    hits: dict[tuple[str, str, str], dict[str, Any]] = {}
    for where, value in texts(article):
        for end, (word, list_id, tag, mode) in automaton.iter(value.lower()):
            key = (word, list_id, where)
            if key not in hits:
                start = end - len(word) + 1
                hits[key] = {"word": word, "list": list_id, "tag": tag, "mode": mode, "where": where, "offset": start}
    return list(hits.values())


def refuse_blocked(article: dict[str, Any]) -> None:
    """409 naming the blocking words, if any is in the article."""
    blocked = sorted({hit["word"] for hit in check(article) if hit["mode"] == "block"})
    if blocked:
        raise Conflict(f"blocked words: {'、'.join(blocked)}", code="words_blocked", words=blocked)


@functools.lru_cache(maxsize=4)
def _automaton(word_lists: tuple[tuple[str, str, str, tuple[str, ...]], ...]) -> Any:
    """One automaton for all lists (cached per container while the lists stay the same)."""
    import ahocorasick

    automaton = ahocorasick.Automaton()
    for list_id, tag, mode, words in word_lists:
        for word in words:
            key = word.lower()
            current = automaton.get(key, None)
            if current is None or (mode == "block" and current[3] != "block"):  # a blocking list wins
                automaton.add_word(key, (word, list_id, tag, mode))
    automaton.make_automaton()
    return automaton
