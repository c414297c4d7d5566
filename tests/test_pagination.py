"""Cursors round-trip, and anything else is a clean InvalidInput."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chalicelib.errors import InvalidInput
from chalicelib.pagination import decode_cursor, encode_cursor

FIELDS = ("id", "published_at")
values = st.text(min_size=1, max_size=100)


@given(values, values)
def test_cursors_round_trip(article_id, published_at):
    key = {"id": article_id, "published_at": published_at}
    assert decode_cursor(encode_cursor(key), FIELDS) == key


@given(st.text(max_size=200))
def test_any_other_text_is_rejected_cleanly(text):
    try:
        key = decode_cursor(text, FIELDS)
    except InvalidInput as error:
        assert error.field == "cursor"
    else:
        assert key is None or set(key) == set(FIELDS)


def test_a_cursor_with_other_fields_is_rejected():
    with pytest.raises(InvalidInput):
        decode_cursor(encode_cursor({"id": "a", "listed_category": "x"}), FIELDS)
