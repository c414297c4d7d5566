"""What the editors' API accepts and refuses: each limit at its boundary, 400s naming the field, never a 500."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from chalicelib.errors import CODES
from tests.api_helpers import call
from tests.site import make_photo

MB = 1024 * 1024
BLOCK_TYPES = "paragraph, heading, photo, quote, list, table, attachment, video"


def article(**changes):
    body = {
        "title": "协会召开年度会员大会",
        "category": "industry",
        "body": [{"type": "paragraph", "text": "大会隆重召开。"}],
    }
    body.update(changes)
    return {k: v for k, v in body.items() if v is not None}


def create(client, auth, body):
    return call(client, "POST", "/api/articles", body, auth)


def refused(response, field, message):
    assert response.status_code == 400, response.json
    assert {k: response.json[k] for k in ("message", "field")} == {"message": message, "field": field}
    assert set(response.json) <= {"message", "field", "code", "limit", "low", "high"}
    assert response.json["code"] in CODES - {"invalid"}, response.json  # a specific code the app words
    return True


# Request bodies


def test_a_body_of_exactly_1_mb_is_read_and_one_byte_more_is_refused(client, auth):
    raw = json.dumps(article()).encode()
    padded = raw + b" " * (MB - len(raw))  # JSON allows the whitespace
    assert len(padded) == MB
    assert create(client, auth, padded).status_code == 201
    too_large = create(client, auth, padded + b" ")
    assert refused(too_large, "body", "request body is larger than 1048576 bytes")
    assert (too_large.json["code"], too_large.json["limit"]) == ("body_too_large", MB)


@pytest.mark.parametrize(
    "raw, message",
    [
        (b"{not json", "request body is not valid JSON"),
        (b"\xff\xfe", "request body is not valid JSON"),
        (b"", "request body is not valid JSON"),
        (b"[1, 2]", "request body must be a JSON object"),
        (b"null", "request body must be a JSON object"),
    ],
)
def test_a_body_that_is_not_a_json_object_is_refused_saying_why(client, auth, raw, message):
    assert refused(create(client, auth, raw), "body", message)


def test_publishing_without_a_body_publishes_now(client, auth):
    article_id = create(client, auth, article()).json["id"]
    response = call(client, "POST", f"/api/articles/{article_id}/publish", None, auth)
    assert response.status_code == 200 and response.json["status"] == "published"


# Texts


@pytest.mark.parametrize("title", [123, 1.5, True, ["标题"], {"text": "标题"}])
def test_a_title_that_is_not_a_string_is_a_400_naming_it(client, auth, title):
    assert refused(create(client, auth, article(title=title)), "title", "title must be a string")


@pytest.mark.parametrize("field", ["subtitle", "source", "author"])
def test_optional_texts_that_are_not_strings_are_400s_naming_them(client, auth, field):
    assert refused(create(client, auth, article(**{field: 5})), field, f"{field} must be a string")


def test_a_missing_or_blank_title_is_refused(client, auth):
    assert refused(create(client, auth, article(title=None)), "title", "title is required")
    assert refused(create(client, auth, article(title=" \t\n")), "title", "title must not be empty")
    assert refused(create(client, auth, article(title="")), "title", "title must not be empty")


def test_blank_optional_texts_are_stored_as_absent(client, auth):
    created = create(client, auth, article(subtitle="   ", source="", author="\n"))
    assert created.status_code == 201
    assert (created.json["subtitle"], created.json["source"], created.json["author"]) == (None, None, None)


def test_texts_are_stored_as_given_with_their_surrounding_spaces(client, auth):
    created = create(client, auth, article(title=" 标题 ", subtitle=" 副题 "))
    assert (created.json["title"], created.json["subtitle"]) == (" 标题 ", " 副题 ")


@pytest.mark.parametrize("field", ["title", "subtitle", "source", "author"])
def test_short_texts_hold_200_characters_and_not_201(client, auth, field):
    assert create(client, auth, article(**{field: "长" * 200})).json[field] == "长" * 200
    too_long = create(client, auth, article(**{field: "长" * 201}))
    assert refused(too_long, field, f"{field} is longer than 200 characters")
    assert (too_long.json["code"], too_long.json["limit"]) == ("too_long", 200)  # the app words it with the limit


@pytest.mark.parametrize("field", ["title", "subtitle"])
def test_a_nul_character_is_refused(client, auth, field):
    response = create(client, auth, article(**{field: "标\x00题"}))
    assert refused(response, field, f"{field} contains a NUL character")


# Blocks


def test_block_texts_hold_their_limits_exactly(client, auth):
    blocks = [
        {"type": "paragraph", "text": "x" * 20_000},
        {"type": "heading", "text": "x" * 200},
        {"type": "photo", "photo_id": "photo1", "caption": "x" * 1000, "alt": "x" * 1000},
    ]
    created = create(client, auth, article(body=blocks))
    assert created.status_code == 201 and created.json["body"] == blocks


@pytest.mark.parametrize(
    "block, field, message",
    [
        ({"type": "paragraph", "text": "x" * 20_001}, "body[0].text", "body[0].text is longer than 20000 characters"),
        ({"type": "heading", "text": "x" * 201}, "body[0].text", "body[0].text is longer than 200 characters"),
        ({"type": "heading", "text": " "}, "body[0].text", "body[0].text must not be empty"),
        ({"type": "heading"}, "body[0].text", "body[0].text is required"),
        ({"type": "paragraph", "text": 7}, "body[0].text", "body[0].text must be a string"),
        ({"type": "paragraph", "text": "a\x00b"}, "body[0].text", "body[0].text contains a NUL character"),
        (
            {"type": "photo", "photo_id": "photo1", "caption": "x" * 1001},
            "body[0].caption",
            "body[0].caption is longer than 1000 characters",
        ),
        (
            {"type": "photo", "photo_id": "photo1", "alt": "x" * 1001},
            "body[0].alt",
            "body[0].alt is longer than 1000 characters",
        ),
        ({"type": "photo", "caption": "会场"}, "body[0].photo_id", "body[0].photo_id is required"),
        ({"type": "photo", "photo_id": "Photo1"}, "body[0].photo_id", "body[0].photo_id is not a valid id"),
        ({"type": "photo", "photo_id": "photo1", "text": "x"}, "body[0].text", "unknown field: body[0].text"),
        ({"type": "audio"}, "body[0].type", f"body[0].type must be one of: {BLOCK_TYPES}"),
        ({"text": "x"}, "body[0].type", f"body[0].type must be one of: {BLOCK_TYPES}"),
        ("text", "body[0]", "body[0] must be an object"),
    ],
)
def test_bad_blocks_are_400s_naming_the_block_and_field(client, auth, block, field, message):
    assert refused(create(client, auth, article(body=[block])), field, message)


def test_the_error_names_the_position_of_the_bad_block(client, auth):
    blocks = [{"type": "paragraph", "text": "x"}] * 3 + [{"type": "heading", "text": ""}]
    assert refused(create(client, auth, article(body=blocks)), "body[3].text", "body[3].text must not be empty")


def test_blank_captions_are_stored_as_absent(client, auth):
    created = create(client, auth, article(body=[{"type": "photo", "photo_id": "photo1", "caption": " ", "alt": ""}]))
    assert created.json["body"] == [{"type": "photo", "photo_id": "photo1"}]


def test_a_body_holds_500_blocks_and_not_501(client, auth):
    blocks = [{"type": "paragraph", "text": "x"}] * 500
    assert len(create(client, auth, article(body=blocks)).json["body"]) == 500
    assert refused(create(client, auth, article(body=blocks * 2)), "body", "body has more than 500 blocks")
    one_more = create(client, auth, article(body=blocks + blocks[:1]))
    assert refused(one_more, "body", "body has more than 500 blocks")
    assert (one_more.json["code"], one_more.json["limit"]) == ("too_many_blocks", 500)  # the app words the limit


def test_a_body_must_be_a_list_and_may_be_left_out(client, auth):
    assert refused(create(client, auth, article(body={"type": "paragraph"})), "body", "body must be a list of blocks")
    created = create(client, auth, {"title": "只有标题", "category": "industry"})
    assert created.status_code == 201 and created.json["body"] == []


def _paragraphs_of(total_bytes):
    """Paragraph blocks whose JSON adds up to exactly `total_bytes`, as the 300 KB limit counts them."""
    overhead = len(json.dumps({"type": "paragraph", "text": ""}).encode())
    blocks = []
    while total_bytes > 0:
        size = min(20_000, total_bytes - overhead)
        blocks.append({"type": "paragraph", "text": "x" * size})
        total_bytes -= size + overhead
    return blocks


def test_an_article_holds_300_kb_of_text_and_not_a_byte_more(client, auth):
    exactly = _paragraphs_of(300 * 1024)
    assert sum(len(json.dumps(b).encode()) for b in exactly) == 300 * 1024
    assert create(client, auth, article(body=exactly)).status_code == 201
    over = _paragraphs_of(300 * 1024 + 1)
    message = "body is 300 KB; an article holds at most 300 KB of text"
    assert refused(create(client, auth, article(body=over)), "body", message)


def test_the_300_kb_counts_utf8_bytes_not_characters(client, auth):
    chinese = [{"type": "paragraph", "text": "长" * 20_000}] * 6  # 120,000 characters, 360,000 bytes
    message = "body is 351 KB; an article holds at most 300 KB of text"
    assert refused(create(client, auth, article(body=chinese)), "body", message)


# Identifiers, booleans, unknown fields


@pytest.mark.parametrize("category", ["Industry", "-industry", "indus try", "industry\n", 5, "x" * 65])
def test_a_malformed_category_is_not_a_valid_id(client, auth, category):
    assert refused(create(client, auth, article(category=category)), "category", "category is not a valid id")


def test_the_category_is_required(client, auth):
    assert refused(create(client, auth, article(category=None)), "category", "category is required")
    assert refused(create(client, auth, article(category="")), "category", "category is required")


def test_identifiers_hold_64_characters(client, auth):
    make_photo("p" * 64)
    created = create(client, auth, article(cover_photo_id="p" * 64))
    assert created.status_code == 201 and created.json["cover_photo_id"] == "p" * 64
    too_long = create(client, auth, article(cover_photo_id="p" * 65))
    assert refused(too_long, "cover_photo_id", "cover_photo_id is not a valid id")


def test_an_empty_cover_photo_means_none(client, auth):
    created = create(client, auth, article(cover_photo_id=""))
    assert created.status_code == 201 and created.json["cover_photo_id"] is None


@pytest.mark.parametrize("notice", ["yes", 1, 0, None])
def test_notice_must_be_true_or_false(client, auth, notice):
    body = {**article(), "notice": notice}
    assert refused(create(client, auth, body), "notice", "notice must be true or false")


def test_notice_defaults_to_false(client, auth):
    assert create(client, auth, article()).json["notice"] is False
    assert create(client, auth, article(notice=True)).json["notice"] is True


def test_an_unknown_field_is_named_first_in_alphabetical_order(client, auth):
    body = article(zeta=1, colour="red", **{"Alpha": 2})
    assert refused(create(client, auth, body), "Alpha", "unknown field: Alpha")


@pytest.mark.parametrize("field", ["id", "status", "published_at", "version"])
def test_a_new_article_cannot_carry_read_only_fields(client, auth, field):
    assert refused(create(client, auth, article(**{field: "x"})), field, f"unknown field: {field}")


# Versions


def test_a_put_may_send_back_what_the_api_returned(client, auth):
    first = create(client, auth, article()).json
    edited = call(client, "PUT", f"/api/articles/{first['id']}", {**first, "title": "新标题"}, auth)
    assert edited.status_code == 200 and edited.json["version"] == 2


@pytest.mark.parametrize("version", ["1", 1.0, True, 0, -1, None, [1]])
def test_a_put_needs_a_whole_positive_version(client, auth, version):
    first = create(client, auth, article()).json
    response = call(client, "PUT", f"/api/articles/{first['id']}", {**article(), "version": version}, auth)
    assert refused(response, "version", "version is required: the version this edit is based on")


# Publish times


def publish(client, auth, published_at):
    article_id = create(client, auth, article()).json["id"]
    return call(client, "POST", f"/api/articles/{article_id}/publish", {"published_at": published_at}, auth)


@pytest.mark.parametrize(
    "given, stored",
    [
        ("2000-01-01T00:00:00+00:00", "2000-01-01T00:00:00+00:00"),
        ("2100-12-31T23:59:59+00:00", "2100-12-31T23:59:59+00:00"),
        ("2026-03-01T09:00:00Z", "2026-03-01T09:00:00+00:00"),
        ("2026-03-01T09:00:00", "2026-03-01T01:00:00+00:00"),  # no offset: the site's zone, Asia/Shanghai
        ("2026-03-01T09:00:00+02:00", "2026-03-01T07:00:00+00:00"),
    ],
)
def test_publish_times_within_2000_to_2100_are_accepted(client, auth, given, stored):
    response = publish(client, auth, given)
    assert response.status_code == 200, response.json
    assert datetime.fromisoformat(response.json["published_at"]) == datetime.fromisoformat(stored)


@pytest.mark.parametrize("given", ["1999-12-31T23:59:59+00:00", "2101-01-01T00:00:00+00:00"])
def test_publish_times_outside_2000_to_2100_are_refused(client, auth, given):
    message = "published_at must be between the years 2000 and 2100"
    assert refused(publish(client, auth, given), "published_at", message)


@pytest.mark.parametrize("given", ["tomorrow", "2026-13-01T00:00:00", "2026-03-01T09:00:00z", ""])
def test_a_publish_time_that_is_not_iso_8601_is_refused_with_an_example(client, auth, given):
    message = "published_at must be an ISO-8601 date-time, e.g. 2026-12-01T09:00:00+08:00"
    assert refused(publish(client, auth, given), "published_at", message)


@pytest.mark.parametrize("given", [20261201, 1.5, True, ["2026-12-01"]])
def test_a_publish_time_that_is_not_a_string_is_refused(client, auth, given):
    message = "published_at must be an ISO-8601 date-time string"
    assert refused(publish(client, auth, given), "published_at", message)


def test_publish_takes_only_a_time(client, auth):
    article_id = create(client, auth, article()).json["id"]
    response = call(client, "POST", f"/api/articles/{article_id}/publish", {"at": "2026-03-01T09:00:00Z"}, auth)
    assert refused(response, "at", "unknown field: at")


# Categories: slugs and positions


@pytest.mark.parametrize("slug", ["a", "9", "a" * 64, "a-b-1"])
def test_category_slugs_of_1_to_64_characters_are_accepted(client, admin_auth, slug):
    response = call(client, "PUT", f"/api/categories/{slug}", {"name": "栏目"}, admin_auth)
    assert response.status_code == 200 and response.json["slug"] == slug


@pytest.mark.parametrize("slug", ["a" * 65, "-a", "A", "a_b", "news%0A"])
def test_other_category_slugs_are_refused(client, admin_auth, slug):
    response = call(client, "PUT", f"/api/categories/{slug}", {"name": "栏目"}, admin_auth)
    assert refused(response, "slug", "slug: 1-64 lowercase letters, digits or '-'")


@pytest.mark.parametrize("position", [-1_000_000, 0, 1_000_000])
def test_positions_from_minus_to_plus_a_million_are_accepted(client, admin_auth, position):
    response = call(client, "PUT", "/api/categories/sub", {"name": "栏目", "position": position}, admin_auth)
    assert response.status_code == 200 and response.json["position"] == position


def test_the_position_defaults_to_0(client, admin_auth):
    assert call(client, "PUT", "/api/categories/sub", {"name": "栏目"}, admin_auth).json["position"] == 0


@pytest.mark.parametrize("position", [-1_000_001, 1_000_001, True, False, 1.0, "1", None])
def test_other_positions_are_refused(client, admin_auth, position):
    response = call(client, "PUT", "/api/categories/sub", {"name": "栏目", "position": position}, admin_auth)
    assert refused(response, "position", "position must be an integer from -1000000 to 1000000")


def test_a_category_parent_must_be_an_id(client, admin_auth):
    response = call(client, "PUT", "/api/categories/sub", {"name": "栏目", "parent": "Policy"}, admin_auth)
    assert refused(response, "parent", "parent is not a valid id")
