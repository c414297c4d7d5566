"""What changed between two versions of an article: its fields, and its blocks side by side.

Blocks are aligned by what they are (a paragraph's or heading's text, a photo's id, everything a video or an
attachment holds) with difflib, so an edited caption is one photo `changed`, a photo taken out here and put in
there is one `moved`, a rewritten paragraph is one `changed` with its old and new text, and another video or file
in a video's or attachment's place is one `changed`. Text blocks are compared, and shown (`old_text`,
`new_text`), as canonical marked text (richtext/marked.py): a word made bold, or a link given another target, is
a change like a rewritten word. Photos, videos and attachments have no text: the editors' app names them.
"""

from __future__ import annotations

import difflib
import json
from typing import Any

from chalicelib.article_body import Attachment, Block, Body, Photo, Video, editor_json, from_json
from chalicelib.richtext.marked import marked

FIELDS = ("title", "subtitle", "category", "source", "author", "notice", "cover_photo_id")


MEDIA = (Photo, Video, Attachment)  # blocks without text


def _key(block: Block) -> tuple[str, str]:
    """What a block other than a photo is the same as: its marked text, or all a video or attachment holds."""
    if isinstance(block, Video | Attachment):
        return (block.type, json.dumps(editor_json(block), sort_keys=True))
    return (block.type, marked(block))


def _change(kind: str, old: Block | None, new: Block | None, at: tuple[int | None, int | None]) -> dict[str, Any]:
    block = new or old
    change: dict[str, Any] = {
        "change": kind,
        "type": block.type if block else None,
        "old": editor_json(old) if old else None,
        "new": editor_json(new) if new else None,
        "old_index": at[0],
        "new_index": at[1],
    }
    if not isinstance(block, MEDIA):
        change |= {"old_text": marked(old) if old else None, "new_text": marked(new) if new else None}
    return change


def diff_articles(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """`{"fields": [{"field", "old", "new"}], "blocks": [{"change", "type", "old", "new", ...}]}` between two
    articles as the API shows them (a revision, the article now).

    A block change also names where the block was and is (`old_index`, `new_index`; None if it was not or
    is no more)."""
    fields = [
        {"field": name, "old": old.get(name), "new": new.get(name)}
        for name in FIELDS
        if (old.get(name) or None) != (new.get(name) or None)
    ]
    return {"fields": fields, "blocks": diff_blocks(from_json(old.get("body") or []), from_json(new.get("body") or []))}


def diff_blocks(old: Body, new: Body) -> list[dict[str, Any]]:
    """Changes from `old` to `new`: text blocks aligned by their text, photos by their id; by position."""
    text_changes, paired = _text_changes(old, new)
    changes = text_changes + _photo_changes(old, new, paired)
    return sorted(changes, key=lambda c: c["new_index"] if c["new_index"] is not None else c["old_index"] - 0.5)


def _text_changes(old: Body, new: Body) -> tuple[list[dict[str, Any]], dict[int, int]]:
    """The text blocks' changes, and which old block became which new one (kept or rewritten)."""
    paired: dict[int, int] = {}
    olds = [i for i, block in enumerate(old) if not isinstance(block, Photo)]
    news = [j for j, block in enumerate(new) if not isinstance(block, Photo)]
    matcher = difflib.SequenceMatcher(a=[_key(old[i]) for i in olds], b=[_key(new[j]) for j in news], autojunk=False)
    changes: list[dict[str, Any]] = []
    for tag, a1, a2, b1, b2 in matcher.get_opcodes():
        if tag == "equal":
            paired.update((olds[a1 + k], news[b1 + k]) for k in range(a2 - a1))
            continue
        left = [olds[a] for a in range(a1, a2)]
        for j in (news[b] for b in range(b1, b2)):  # a new block rewrites the first old one of its type here
            i = next((i for i in left if old[i].type == new[j].type), None)
            if i is None:
                changes.append(_change("added", None, new[j], (None, j)))
            else:
                left.remove(i)
                paired[i] = j
                changes.append(_change("changed", old[i], new[j], (i, j)))
        changes += [_change("removed", old[i], None, (i, None)) for i in left]
    return changes, paired


def _anchor(blocks: Body, index: int) -> int | None:
    """The text block a photo follows (None: it comes before any text)."""
    return next((i for i in range(index - 1, -1, -1) if not isinstance(blocks[i], Photo)), None)


def _photo_changes(old: Body, new: Body, paired: dict[int, int]) -> list[dict[str, Any]]:
    """Photos by id: added, removed, moved (out of the order the others keep, or after another text block)
    or changed (caption, alt)."""
    before = {b.photo_id: i for i, b in enumerate(old) if isinstance(b, Photo)}
    after = {b.photo_id: j for j, b in enumerate(new) if isinstance(b, Photo)}
    both = [p for p in after if p in before]
    kept_order = difflib.SequenceMatcher(a=sorted(both, key=before.__getitem__), b=both, autojunk=False)
    in_place = {both[b.b + k] for b in kept_order.get_matching_blocks() for k in range(b.size)}
    changes = [_change("removed", old[i], None, (i, None)) for p, i in before.items() if p not in after]
    for photo, j in after.items():
        i = before.get(photo)
        if i is None:
            changes.append(_change("added", None, new[j], (None, j)))
        elif photo not in in_place or _moved_in_text(old, new, i, j, paired):
            changes.append(_change("moved", old[i], new[j], (i, j)))
        elif old[i] != new[j]:
            changes.append(_change("changed", old[i], new[j], (i, j)))
    return changes


def _moved_in_text(old: Body, new: Body, i: int, j: int, paired: dict[int, int]) -> bool:
    was, now = _anchor(old, i), _anchor(new, j)
    if was is None or now is None:
        return was != now
    return was in paired and paired[was] != now
