"""PynamoDB models: one per table, nothing else.

Table names come from configuration. Reader queries go through the sparse
indexes below, whose key attributes are set only while an article is
published, so drafts never appear in them.
"""

from __future__ import annotations

import json
import threading
from typing import Any

from pynamodb.attributes import (
    Attribute,
    BooleanAttribute,
    ListAttribute,
    MapAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UnicodeSetAttribute,
    UTCDateTimeAttribute,
    VersionAttribute,
)
from pynamodb.connection import Connection, TableConnection
from pynamodb.constants import STRING
from pynamodb.expressions.condition import Condition
from pynamodb.expressions.update import Action
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex, IncludeProjection, KeysOnlyProjection
from pynamodb.models import Model

from chalicelib.config import get_settings
from chalicelib.statuses import ArticleStatus, PhotoStatus

_settings = get_settings()

# What article listings need; the body stays out of the indexes.
LISTING_ATTRIBUTES = ["title", "subtitle", "category", "source", "notice", "cover_photo_id"]


_shared_lock = threading.Lock()
_shared_connection: Connection | None = None


class TableMeta:
    """What every model's Meta shares: the client's timeouts and retry budget (config.Settings).

    pynamodb's defaults (15 s connect, 30 s read, 4 attempts) let a hung DynamoDB hold a page for
    minutes, far past the function's timeout; these make it fail fast, and the page answers 503.
    """

    region = _settings.region
    connect_timeout_seconds = _settings.aws_connect_timeout
    read_timeout_seconds = _settings.aws_read_timeout
    max_retry_attempts = _settings.aws_max_attempts - 1  # pynamodb counts retries, botocore attempts


def _index_count(meta: Any) -> int:
    return len(meta.data.get("GlobalSecondaryIndexes") or []) + len(meta.data.get("LocalSecondaryIndexes") or [])


class NewsroomModel(Model):
    """A model whose table shares one botocore session and client with every other table's.

    pynamodb gives each model its own; each then parses botocore's DynamoDB
    service model again, which tripled the clients' share of a cold start.
    """

    @classmethod
    def _get_connection(cls) -> TableConnection:
        global _shared_connection
        if cls._connection is not None and cls._connection.table_name == cls.Meta.table_name:
            return cls._connection
        table = super()._get_connection()  # its own Connection is cheap: clients are made on first use
        with _shared_lock:
            if _shared_connection is None:
                _shared_connection = table.connection
            elif table.connection is not _shared_connection:
                # Models sharing a table (site settings, topics) know none of its indexes: the table's own
                # model's description wins, whichever model asked first.
                meta, known = table.get_meta_table(), _shared_connection._tables.get(table.table_name)
                if known is None or _index_count(meta) > _index_count(known):
                    _shared_connection._tables[table.table_name] = meta
                table.connection = _shared_connection
        return table

    @classmethod
    def update_unversioned(cls, hash_key: str, actions: list[Action], condition: Condition | None) -> None:
        """UpdateItem on the item `hash_key` if `condition` holds, leaving its VersionAttribute as it is.

        pynamodb's public `Model.update` cannot: "Regardless, the version will
        always be incremented" (its docstring), even with add_version_condition=False.
        So this goes through the table connection; UpdateError if `condition` failed.
        """
        cls._get_connection().update_item(hash_key, actions=actions, condition=condition)


class JSONBody(Attribute[list[dict[str, Any]]]):
    """An article's blocks as one compact UTF-8 JSON string.

    One string instead of a list of typed maps: botocore and pynamodb then do
    not parse every block on every page view (half the page's CPU, measured in
    bench/), and CJK text takes 3 bytes a character, not the 6 of \\uXXXX escapes.
    Photo blocks carry a `media` snapshot of their photo's record, so an article
    view is one read, not one per photo.
    """

    attr_type = STRING

    def serialize(self, value: list[dict[str, Any]]) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

    def deserialize(self, value: str) -> list[dict[str, Any]]:
        return list(json.loads(value))


class JSONDocument(Attribute[dict[str, Any]]):
    """A JSON object as one compact UTF-8 string (as JSONBody): the workflow's records."""

    attr_type = STRING

    def serialize(self, value: dict[str, Any]) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

    def deserialize(self, value: str) -> dict[str, Any]:
        return dict(json.loads(value))


class _PublishedIndex(GlobalSecondaryIndex):
    class Meta:
        projection = IncludeProjection(LISTING_ATTRIBUTES)


class ByCategoryIndex(_PublishedIndex):
    class Meta(_PublishedIndex.Meta):
        index_name = "by-category"

    listed_category = UnicodeAttribute(hash_key=True)
    published_at = UTCDateTimeAttribute(range_key=True)


class ByChannelIndex(_PublishedIndex):
    """A top-level category with its sub-categories' articles."""

    class Meta(_PublishedIndex.Meta):
        index_name = "by-channel"

    listed_channel = UnicodeAttribute(hash_key=True)
    published_at = UTCDateTimeAttribute(range_key=True)


class FeaturedIndex(GlobalSecondaryIndex):
    """Published articles an editor flagged 头条, 幻灯 or 推荐 (sparse): the home page's one Query for them."""

    class Meta:
        index_name = "featured"
        projection = IncludeProjection(LISTING_ATTRIBUTES + ["flags", "pinned_until"])

    listed_featured = UnicodeAttribute(hash_key=True)
    published_at = UTCDateTimeAttribute(range_key=True)


class NoticesIndex(_PublishedIndex):
    class Meta(_PublishedIndex.Meta):
        index_name = "notices"

    listed_notice = UnicodeAttribute(hash_key=True)
    published_at = UTCDateTimeAttribute(range_key=True)


EDITORIAL_ATTRIBUTES = LISTING_ATTRIBUTES + ["status", "published_at", "updated_at", "author", "version"]


class EditorialIndex(GlobalSecondaryIndex):
    """Every article, drafts included, newest first (the editors' list)."""

    class Meta:
        index_name = "editorial"
        projection = IncludeProjection(EDITORIAL_ATTRIBUTES)

    collection = UnicodeAttribute(hash_key=True)
    created_at = UTCDateTimeAttribute(range_key=True)


class EditorialByCategoryIndex(GlobalSecondaryIndex):
    """Every article of one category, drafts included, newest first."""

    class Meta:
        index_name = "editorial-by-category"
        projection = IncludeProjection(EDITORIAL_ATTRIBUTES)

    category = UnicodeAttribute(hash_key=True)
    created_at = UTCDateTimeAttribute(range_key=True)


# A deleted article's pending mark is kept on an item of this id + the article's (ids never hold ":").
SEARCH_TOMBSTONE = "search-removed:"


class SearchPendingIndex(GlobalSecondaryIndex):
    """Articles (and deletion tombstones) whose search text changed since the last fold (chalicelib/search):
    sparse, so the scheduled fold's Scan reads only those."""

    class Meta:
        index_name = "search-pending"
        projection = KeysOnlyProjection()

    search_pending = UnicodeAttribute(hash_key=True)


class ArticleModel(NewsroomModel):
    class Meta(TableMeta):
        table_name = _settings.tables["articles"]

    id = UnicodeAttribute(hash_key=True)
    title = UnicodeAttribute()
    subtitle = UnicodeAttribute(null=True)
    category = UnicodeAttribute()
    source = UnicodeAttribute(null=True)
    author = UnicodeAttribute(null=True)
    status = UnicodeAttribute(default=ArticleStatus.DRAFT)
    notice = BooleanAttribute(default=False)
    cover_photo_id = UnicodeAttribute(null=True)
    body = JSONBody(default=list)
    body_format = NumberAttribute(null=True)  # richtext.schema.BODY_FORMAT when saved; absent: format 1
    created_at = UTCDateTimeAttribute()
    updated_at = UTCDateTimeAttribute()
    published_at = UTCDateTimeAttribute(null=True)
    listed_category = UnicodeAttribute(null=True)
    listed_channel = UnicodeAttribute(null=True)
    listed_notice = UnicodeAttribute(null=True)
    flags = ListAttribute(of=UnicodeAttribute, null=True)  # any of featured.FLAGS: headline, carousel, recommended
    pinned_until = UTCDateTimeAttribute(null=True)  # a flagged article leads its section until then
    listed_featured = UnicodeAttribute(null=True)  # "featured" while published with flags (FeaturedIndex)
    collection = UnicodeAttribute(default="articles")
    review = JSONDocument(null=True)  # its review record (reviews.py): state, approvals, every step
    pending_revision = UnicodeAttribute(null=True)  # a restored draft of changes to a published article
    search_pending = UnicodeAttribute(null=True)  # a fresh mark per write the search index must follow
    preview_key = UnicodeAttribute(null=True)  # in every preview link; a new one revokes them (previews.py)
    purge_at = NumberAttribute(null=True)  # epoch seconds: a trashed article's end (the table's TTL, trash.py)
    version = VersionAttribute()

    by_category = ByCategoryIndex()
    by_channel = ByChannelIndex()
    notices = NoticesIndex()
    featured = FeaturedIndex()
    editorial = EditorialIndex()
    editorial_by_category = EditorialByCategoryIndex()
    search_pending_index = SearchPendingIndex()


class SiteCategoriesIndex(GlobalSecondaryIndex):
    """All categories in display order with one Query (readers never Scan)."""

    class Meta:
        index_name = "by-position"
        projection = IncludeProjection(["name", "parent"])

    site = UnicodeAttribute(hash_key=True)
    position = NumberAttribute(range_key=True)


class CategoryModel(NewsroomModel):
    class Meta(TableMeta):
        table_name = _settings.tables["categories"]

    slug = UnicodeAttribute(hash_key=True)
    name = UnicodeAttribute()
    parent = UnicodeAttribute(null=True)
    position = NumberAttribute(default=0)
    site = UnicodeAttribute(default="site")
    # Kept in the same transaction as every write that changes them (categories.py, editorial.py), so a
    # delete or a move can be conditioned on them: the tree stays one level deep and no article is orphaned.
    children = NumberAttribute(default=0)  # sub-categories
    articles = NumberAttribute(default=0)  # articles in it, drafts included

    by_position = SiteCategoriesIndex()


class SiteSettingsModel(NewsroomModel):
    """The site's settings (site_settings.py): one item in the categories table, under a key no category slug
    can take and without the `site` attribute, so the by-position index never lists it."""

    class Meta(TableMeta):
        table_name = _settings.tables["categories"]
        shares_table = True  # tests/test_schema.py: keyed like the table's own model

    slug = UnicodeAttribute(hash_key=True)
    content = UnicodeAttribute()  # a JSON object: field -> value (site_settings.FIELDS)
    changed_at = UTCDateTimeAttribute(null=True)


class TopicModel(NewsroomModel):
    """A 专题 (topics.py): one item in the categories table under `#topic-{slug}`, without `site` (never listed
    as a category); its articles are ids in the editors' order."""

    class Meta(TableMeta):
        table_name = _settings.tables["categories"]
        shares_table = True

    slug = UnicodeAttribute(hash_key=True)
    title = UnicodeAttribute()
    intro = UnicodeAttribute(null=True)
    banner_photo_id = UnicodeAttribute(null=True)
    article_ids = ListAttribute(of=UnicodeAttribute, default=list)


class CounterModel(NewsroomModel):
    """View counts, one small item per article so each view costs 1 WCU."""

    class Meta(TableMeta):
        table_name = _settings.tables["counters"]

    article_id = UnicodeAttribute(hash_key=True)
    views = NumberAttribute(default=0)


PHOTO_LIST_ATTRIBUTES = ["status", "filename", "width", "height", "renditions", "reason"]


class PhotoLibraryIndex(GlobalSecondaryIndex):
    """Every photo, newest first (the editors' photo library); every photo has `collection`."""

    class Meta:
        index_name = "library"
        projection = IncludeProjection(PHOTO_LIST_ATTRIBUTES)

    collection = UnicodeAttribute(hash_key=True)
    created_at = UTCDateTimeAttribute(range_key=True)


class PhotoModel(NewsroomModel):
    class Meta(TableMeta):
        table_name = _settings.tables["photos"]

    photo_id = UnicodeAttribute(hash_key=True)
    status = UnicodeAttribute(default=PhotoStatus.PENDING)
    filename = UnicodeAttribute()
    content_type = UnicodeAttribute()
    size = NumberAttribute()
    width = NumberAttribute(null=True)
    height = NumberAttribute(null=True)
    color = UnicodeAttribute(null=True)
    renditions = ListAttribute(of=MapAttribute, null=True)
    reason = UnicodeAttribute(null=True)
    source_etag = UnicodeAttribute(null=True)  # the upload the renditions were made from
    used_by = UnicodeSetAttribute(null=True)  # articles showing the photo, refreshed when it is processed
    created_at = UTCDateTimeAttribute()
    updated_at = UTCDateTimeAttribute(null=True)
    collection = UnicodeAttribute(default="photos")
    sha256 = UnicodeAttribute(null=True)  # the processed upload's content hash (one photo per content)
    expires = NumberAttribute(null=True)  # epoch seconds: an upload never made leaves (the table's TTL)

    library = PhotoLibraryIndex()


class EditorModel(NewsroomModel):
    class Meta(TableMeta):
        table_name = _settings.tables["editors"]

    username = UnicodeAttribute(hash_key=True)
    password_hash = UnicodeAttribute()
    created_at = UTCDateTimeAttribute()
    role = UnicodeAttribute(default="editor")  # roles.Role
    disabled = BooleanAttribute(default=False)
    token_generation = NumberAttribute(default=0)  # bumped (ADD 1) to revoke every token issued before
    must_change_password = BooleanAttribute(null=True)  # set by an admin's reset, removed by the holder's change


class LoginAttemptModel(NewsroomModel):
    """A throttle's count for one key and window (login_throttle.py, counters.py); DynamoDB's TTL removes it."""

    class Meta(TableMeta):
        table_name = _settings.tables["logins"]

    key = UnicodeAttribute(hash_key=True)
    attempts = NumberAttribute(default=0)
    expires = NumberAttribute()  # epoch seconds: the table's TTL attribute
    seen = UnicodeSetAttribute(null=True)  # view counting's guard (counters.py): the clients counted in a window


class LegacyModel(NewsroomModel):
    """What an imported site left behind (ops/dedecms), one small item per key.

    `url:{old path}` -> the new page's path (the old URLs' 301s: one GetItem); `sha256:{hex}` -> the photo
    made from a file with that content (so a re-import or a photo used twice uploads it once);
    `dedecms:{aid}` -> the article imported from that old id.
    """

    class Meta(TableMeta):
        table_name = _settings.tables["legacy"]

    key = UnicodeAttribute(hash_key=True)
    target = UnicodeAttribute()


class AuditTimeIndex(GlobalSecondaryIndex):
    """Every audit record, newest first (the admins' search without a person or an object)."""

    class Meta:
        index_name = "by-time"
        projection = AllProjection()

    collection = UnicodeAttribute(hash_key=True)
    at = UnicodeAttribute(range_key=True)


class AuditActorIndex(GlobalSecondaryIndex):
    class Meta:
        index_name = "by-actor"
        projection = AllProjection()

    actor = UnicodeAttribute(hash_key=True)
    at = UnicodeAttribute(range_key=True)


class AuditObjectIndex(GlobalSecondaryIndex):
    class Meta:
        index_name = "by-object"
        projection = AllProjection()

    object = UnicodeAttribute(hash_key=True)
    at = UnicodeAttribute(range_key=True)


class AuditModel(NewsroomModel):
    """One record per editor action (audit.py): appended, never changed; the API's role may only PutItem.

    `at` is an ISO 8601 UTC time with microseconds (sorts as text); `id` is `at` plus a random suffix.
    """

    class Meta(TableMeta):
        table_name = _settings.tables["audit"]

    id = UnicodeAttribute(hash_key=True)
    at = UnicodeAttribute()
    actor = UnicodeAttribute()
    action = UnicodeAttribute()
    object = UnicodeAttribute()
    result = UnicodeAttribute()
    client = UnicodeAttribute()
    detail = UnicodeAttribute(null=True)
    collection = UnicodeAttribute(default="audit")
    expires = NumberAttribute()  # epoch seconds: the table's TTL attribute

    by_time = AuditTimeIndex()
    by_actor = AuditActorIndex()
    by_object = AuditObjectIndex()


class WorkflowModel(NewsroomModel):
    """The editorial workflow's small items, one layout per kind of `pk` (each service owns its kind):

    `rev#{article id}` / `{rev id}`: one revision of an article (revisions.py); `inbox` / `{article id}`: an
    article waiting for review (reviews.py); `words` / `{list id}`: a word list (word_checks.py);
    `review-levels` / `_site` or a category's slug: review levels (reviews.py); `site` / `admins`: the active
    admins (admins.py). `data` is the item's JSON.
    """

    class Meta(TableMeta):
        table_name = _settings.tables["workflow"]

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    data = JSONDocument(default=dict)
    by = UnicodeAttribute(null=True)
    at = UnicodeAttribute(null=True)
    reason = UnicodeAttribute(null=True)
    pinned = BooleanAttribute(default=False)
    tally = NumberAttribute(null=True)  # `site` / `admins`: how many active admins (admins.py)
