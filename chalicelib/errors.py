"""Domain errors; the route layer turns them into HTTP responses."""

from __future__ import annotations

# Every `code` an error may carry: clients (the editors' app, chalicelib/admin/messages.js) word refusals by
# their code, never by the English message. A code not listed here is a programming error.
CODES = frozenset(
    {
        # any status
        "internal",
        "not_found",
        "unauthorized",
        "forbidden",
        "conflict",
        "invalid",
        "too_many_attempts",
        "unavailable",
        # request bodies and fields (validation.py)
        "body_too_large",
        "bad_json",
        "not_an_object",
        "too_deep",
        "bad_characters",
        "unknown_field",
        "required",
        "not_text",
        "empty",
        "too_long",
        "bad_id",
        "not_boolean",
        "out_of_range",
        "bad_slug",
        "bad_time",
        "time_out_of_range",
        "body_not_list",
        "too_many_blocks",
        "bad_block",
        "bad_block_type",
        "article_too_large",
        "version_required",
        "bad_cursor",
        "bad_page",
        "bad_status",
        # accounts and sessions
        "wrong_credentials",
        "account_disabled",
        "token_required",
        "token_invalid",
        "token_revoked",
        "bad_role",
        "bad_username",
        "username_taken",
        "cannot_change_self",
        "editor_not_found",
        "wrong_current_password",
        "admins_only",
        # articles
        "article_exists",
        "article_not_found",
        "version_conflict",
        "unknown_category",
        "unknown_photo",
        "photos_not_ready",
        "cover_not_ready",
        "preview_not_found",
        # the trash, bulk actions, deleting photos (trash.py, routes/editors_housekeeping.py, photo_deletion.py)
        "article_trashed",
        "not_in_trash",
        "bad_action",
        "bad_ids",
        "bad_sha256",
        "photo_in_use",
        "photo_in_site_use",
        # categories
        "category_not_found",
        "category_exists",
        "categories_changed",
        "category_has_children",
        "category_in_use",
        "category_own_parent",
        "unknown_parent",
        "parent_is_child",
        "category_has_children_cannot_nest",
        # photos
        "bad_content_type",
        "file_too_large",
        "unknown_article",
        "photo_not_found",
        # why processing rejected a photo (photo_rejections.rejection_code; a photo's `reason_code`, not an HTTP error)
        "not_an_image",
        "damaged",
        "too_many_pixels",
        "too_tall",
        "too_large_to_decode",
        "gave_up",
        "photo_rejected",
        # imports, attachments, videos and pasting (issue 24's fetcher and importers, issue 30's converter)
        "attachment_missing",
        "attachment_size",
        "attachment_type",
        "attachment_mismatch",
        "attachment_executable",
        "attachment_html",
        "fetch_address",
        "fetch_dns",
        "fetch_host",
        "fetch_network",
        "fetch_port",
        "fetch_redirects",
        "fetch_scheme",
        "fetch_size",
        "fetch_status",
        "fetch_timeout",
        "fetch_url",
        "html_type",
        "link_scheme",
        "photo_format",
        "photo_size",
        "video_source",
        "wechat_empty",
        "wechat_not_article",
        "wechat_deleted",
        "wechat_verification",
        "wechat_expired",
        # rich text (issue 30's schema: marks, lists, tables, links)
        "cell_type",
        "columns_too_many",
        "flag_type",
        "item_type",
        "items_too_many",
        "items_type",
        "list_depth",
        "mark_overlap",
        "mark_range",
        "mark_type",
        "marks_too_many",
        "marks_type",
        "row_type",
        "row_width",
        "rows_too_many",
        "rows_type",
        "text_empty",
        "text_nul",
        "text_too_long",
        "text_type",
        "link_invalid",
        # reader-side documents
        "sitemap_not_found",
        # editorial workflow (issue 25), site settings and topics (issue 26), Word import
        "audit_action",
        "contributor_published",
        "editor_changed",
        "flags",
        "last_admin",
        "link_group",
        "link_name",
        "link_url",
        "links_list",
        "photo_not_ready",
        "password_common",
        "password_same",
        "password_short",
        "password_username",
        "photo_id",
        "publish_forbidden",
        "review_batch",
        "review_comment_required",
        "review_decision",
        "review_forbidden_role",
        "review_levels",
        "review_not_required",
        "review_not_submitted",
        "review_required",
        "review_required_live",
        "review_same_reviewer",
        "revision_invalid",
        "revision_not_found",
        "session_idle",
        "setting_choice",
        "setting_language",
        "setting_link",
        "setting_required",
        "setting_text",
        "topic_articles",
        "topic_query",
        "topic_text",
        "word_doc",
        "word_empty",
        "word_missing",
        "word_size",
        "word_type",
        "word_unreadable",
        "words_blocked",
        "words_mode",
        "words_not_found",
        "words_size",
    }
)


class NewsroomError(Exception):
    """Base class: every error a service raises on purpose; `code` is stable (one of CODES)."""

    status_code = 500
    default_code = "internal"

    def __init__(self, message: str, code: str | None = None, **details: object) -> None:
        super().__init__(message)
        self.message = message
        self.code = code or self.default_code  # tests/test_error_codes.py holds every code to CODES
        self.details = details


class NotFound(NewsroomError):
    status_code = 404
    default_code = "not_found"


class InvalidInput(NewsroomError):
    """Bad input from a client; `field` names what was wrong."""

    status_code = 400
    default_code = "invalid"

    def __init__(self, message: str, field: str | None = None, code: str | None = None, **details: object) -> None:
        super().__init__(message, code, **details)
        self.field = field


class Unauthorized(NewsroomError):
    status_code = 401
    default_code = "unauthorized"


class Forbidden(NewsroomError):
    status_code = 403
    default_code = "forbidden"


class Conflict(NewsroomError):
    status_code = 409
    default_code = "conflict"


class TooManyAttempts(NewsroomError):
    """Throttled: try again after `retry_after` seconds (a 429 with Retry-After)."""

    status_code = 429
    default_code = "too_many_attempts"

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message, retry_after=retry_after)
        self.retry_after = retry_after


class ServiceUnavailable(NewsroomError):
    """AWS did not answer within the client's budget (config.Settings): a 503 the client may retry."""

    status_code = 503
    default_code = "unavailable"

    def __init__(self, message: str = "service temporarily unavailable", retry_after: int = 5) -> None:
        super().__init__(message, retry_after=retry_after)
        self.retry_after = retry_after


# DynamoDB's and S3's answers that mean "not now" rather than "no": throttled after the retries ran out.
BUSY_CODES = frozenset(
    {"ProvisionedThroughputExceededException", "ThrottlingException", "RequestLimitExceeded", "SlowDown"}
)


def unavailable(error: BaseException) -> ServiceUnavailable | None:
    """The ServiceUnavailable an AWS failure amounts to, or None if `error` is not one.

    A timeout, a refused or dropped connection, or throttling, raised by botocore itself or wrapped
    by pynamodb (which keeps botocore's exception as `cause` and as the exception's context).
    """
    from botocore.exceptions import ClientError, ConnectionError, HTTPClientError

    seen: set[int] = set()
    pending: list[BaseException | None] = [error]
    while pending:
        current = pending.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, ConnectionError | HTTPClientError):
            return ServiceUnavailable()
        if isinstance(current, ClientError) and current.response.get("Error", {}).get("Code") in BUSY_CODES:
            return ServiceUnavailable()
        cause = getattr(current, "cause", None)
        pending += [current.__cause__, current.__context__, cause if isinstance(cause, BaseException) else None]
    return None
