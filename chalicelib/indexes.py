"""The tables' secondary indexes (models.py gives each to its table): what each Query of a listing reads.

Reader queries go through the sparse indexes, whose key attributes are set only while an article is
published, so drafts never appear in them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pynamodb.attributes import NumberAttribute, UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex, IncludeProjection, KeysOnlyProjection

if TYPE_CHECKING:  # each index's model, for the types of its queries' items (named in strings below)
    from chalicelib.models import ArticleModel, AuditModel, CategoryModel, PhotoModel  # noqa: F401

# What article listings need; the body stays out of the indexes.
LISTING_ATTRIBUTES = ["title", "subtitle", "category", "source", "notice", "cover_photo_id"]


class _PublishedIndex(GlobalSecondaryIndex["ArticleModel"]):
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


class FeaturedIndex(GlobalSecondaryIndex["ArticleModel"]):
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


class EditorialIndex(GlobalSecondaryIndex["ArticleModel"]):
    """Every article, drafts included, newest first (the editors' list)."""

    class Meta:
        index_name = "editorial"
        projection = IncludeProjection(EDITORIAL_ATTRIBUTES)

    collection = UnicodeAttribute(hash_key=True)
    created_at = UTCDateTimeAttribute(range_key=True)


class EditorialByCategoryIndex(GlobalSecondaryIndex["ArticleModel"]):
    """Every article of one category, drafts included, newest first."""

    class Meta:
        index_name = "editorial-by-category"
        projection = IncludeProjection(EDITORIAL_ATTRIBUTES)

    category = UnicodeAttribute(hash_key=True)
    created_at = UTCDateTimeAttribute(range_key=True)


class SearchPendingIndex(GlobalSecondaryIndex["ArticleModel"]):
    """Articles (and deletion tombstones) whose search text changed since the last fold (chalicelib/search):
    sparse, so the scheduled fold's Scan reads only those."""

    class Meta:
        index_name = "search-pending"
        projection = KeysOnlyProjection()

    search_pending = UnicodeAttribute(hash_key=True)


class SiteCategoriesIndex(GlobalSecondaryIndex["CategoryModel"]):
    """All categories in display order with one Query (readers never Scan)."""

    class Meta:
        index_name = "by-position"
        projection = IncludeProjection(["name", "parent"])

    site = UnicodeAttribute(hash_key=True)
    position = NumberAttribute(range_key=True)


PHOTO_LIST_ATTRIBUTES = ["status", "filename", "width", "height", "renditions", "reason"]


class PhotoLibraryIndex(GlobalSecondaryIndex["PhotoModel"]):
    """Every photo, newest first (the editors' photo library); every photo has `collection`."""

    class Meta:
        index_name = "library"
        projection = IncludeProjection(PHOTO_LIST_ATTRIBUTES)

    collection = UnicodeAttribute(hash_key=True)
    created_at = UTCDateTimeAttribute(range_key=True)


class AuditTimeIndex(GlobalSecondaryIndex["AuditModel"]):
    """Every audit record, newest first (the admins' search without a person or an object)."""

    class Meta:
        index_name = "by-time"
        projection = AllProjection()

    collection = UnicodeAttribute(hash_key=True)
    at = UnicodeAttribute(range_key=True)


class AuditActorIndex(GlobalSecondaryIndex["AuditModel"]):
    class Meta:
        index_name = "by-actor"
        projection = AllProjection()

    actor = UnicodeAttribute(hash_key=True)
    at = UnicodeAttribute(range_key=True)


class AuditObjectIndex(GlobalSecondaryIndex["AuditModel"]):
    class Meta:
        index_name = "by-object"
        projection = AllProjection()

    object = UnicodeAttribute(hash_key=True)
    at = UnicodeAttribute(range_key=True)
