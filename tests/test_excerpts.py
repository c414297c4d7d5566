"""Excerpts (chalicelib/excerpts.py): a description that fits is whole; a cut one ends in … with no space before it."""

from __future__ import annotations

from chalicelib.article_body import from_json
from chalicelib.excerpts import EXCERPT_CHARS, first_paragraph, shorten


def test_a_text_of_exactly_the_limit_is_whole_and_one_more_character_is_cut():
    exact = "协" * EXCERPT_CHARS
    assert shorten(exact) == exact
    assert shorten(exact + "会") == "协" * (EXCERPT_CHARS - 1) + "…"


def test_a_cut_ends_in_the_ellipsis_right_after_the_last_word():
    """The spaces the cut leaves at its end go (not those at the start: a paragraph's own are gone already)."""
    text = "Annual meeting of the association held in Beijing today"
    assert shorten(text, 23) == "Annual meeting of the…"  # the 22nd character is a space
    body = from_json([{"type": "paragraph", "text": "  大会  召开，\n\n300余名会员代表参加  "}])
    assert first_paragraph(body, 8) == "大会 召开，…"
