"""PynamoDB models: one per table, nothing else.

Table names come from configuration; the indexes are in indexes.py, what every model shares in model_base.py.
"""

from __future__ import annotations

from pynamodb.attributes import (
    BooleanAttribute,
    ListAttribute,
    MapAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UnicodeSetAttribute,
    UTCDateTimeAttribute,
    VersionAttribute,
)

from chalicelib.config import get_settings
from chalicelib.indexes import (
    AuditActorIndex,
    AuditObjectIndex,
    AuditTimeIndex,
    ByCategoryIndex,
    ByChannelIndex,
    EditorialByCategoryIndex,
    EditorialIndex,
    FeaturedIndex,
    NoticesIndex,
    PhotoLibraryIndex,
    SearchPendingIndex,
    SiteCategoriesIndex,
)
from chalicelib.model_base import JSONBody, JSONDocument, NewsroomModel, TableMeta
from chalicelib.statuses import ArticleStatus

_settings = get_settings()

# A deleted article's pending mark is kept on an item of this id + the article's (ids never hold ":").
SEARCH_TOMBSTONE = "search-removed:"


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
    """The site's settings (site_settings.py), links and topic directory: one item in the categories table (one
    GetItem a container, site_item.py), under a key no category slug can take and without the `site` attribute,
    so the by-position index never lists it."""

    class Meta(TableMeta):
        table_name = _settings.tables["categories"]
        shares_table = True  # tests/test_schema.py: keyed like the table's own model

    slug = UnicodeAttribute(hash_key=True)
    content = UnicodeAttribute(null=True)  # a JSON object: field -> value (site_settings.FIELDS)
    changed_at = UTCDateTimeAttribute(null=True)
    links = UnicodeAttribute(null=True)  # a JSON list: 友情链接 (links.py), read with the settings
    topics = UnicodeAttribute(null=True)  # a JSON object: topic slug -> title, article ids (topic_directory.py)


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
    banner = UnicodeAttribute(null=True)  # a JSON object: the banner photo's size and renditions (ready_photos.py)
    article_ids = ListAttribute(of=UnicodeAttribute, default=list)


class CounterModel(NewsroomModel):
    """View counts, one small item per article so each view costs 1 WCU.

    Beside `views`, counters.count_view's window marks (seen0/seen1, tally0/tally1) written by expression.
    """

    class Meta(TableMeta):
        table_name = _settings.tables["counters"]

    article_id = UnicodeAttribute(hash_key=True)
    views = NumberAttribute(default=0)
    purge_at = NumberAttribute(null=True)  # epoch seconds: a trashed article's count goes with it (the TTL)


class PhotoModel(NewsroomModel):
    class Meta(TableMeta):
        table_name = _settings.tables["photos"]

    photo_id = UnicodeAttribute(hash_key=True)
    status = UnicodeAttribute()  # every writer says: a new photo is pending
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
    collection = UnicodeAttribute()  # photos.COLLECTION: the library index's one partition
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
    """A throttle's count for one key and window (login_throttle.py); DynamoDB's TTL removes it."""

    class Meta(TableMeta):
        table_name = _settings.tables["logins"]

    key = UnicodeAttribute(hash_key=True)
    attempts = NumberAttribute(default=0)
    expires = NumberAttribute()  # epoch seconds: the table's TTL attribute


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
    purge_at = NumberAttribute(null=True)  # epoch seconds: a trashed article's revision goes with it (the TTL)
