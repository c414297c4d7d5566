"""The photo <-> article link: photo snapshots in article bodies, kept current.

An article copies each photo's record (`media_snapshot`) into the blocks that
show it, and joins the photo's `used_by`; when the processor finishes a photo,
`refresh_articles` copies its new state into those articles without bumping
their version.
"""

from __future__ import annotations

from dataclasses import replace

from chalicelib.article_body import Body, Photo, PhotoMedia, Video
from chalicelib.article_updates import update_without_version
from chalicelib.errors import Conflict, InvalidInput
from chalicelib.models import ArticleModel, PhotoModel
from chalicelib.statuses import PhotoStatus


def _blocks(article_id: str, body: Body, cover_photo_id: str | None) -> Body:
    """Blocks with each photo's current record copied in; unknown photos are a 400.

    Nothing is written here: the article joins its photos' `used_by` only once it is saved
    (`_link_photos`), so a refused save leaves no trace on the photos.
    """
    wanted = {b.photo_id for b in body if isinstance(b, Photo)} | ({cover_photo_id} - {None})
    photos = {p.photo_id: p for p in PhotoModel.batch_get(list(wanted), consistent_read=True)} if wanted else {}
    photo: PhotoModel | None
    if cover_photo_id and cover_photo_id not in photos:
        raise InvalidInput(
            f"cover_photo_id: unknown photo {cover_photo_id}", field="cover_photo_id", code="unknown_photo"
        )
    blocks: Body = []
    for index, block in enumerate(body):
        if isinstance(block, Photo):
            photo = photos.get(block.photo_id)
            if photo is None:
                field = f"body[{index}].photo_id"
                raise InvalidInput(f"{field}: unknown photo {block.photo_id}", field=field, code="unknown_photo")
            block = replace(block, media=media_snapshot(photo))
        blocks.append(block)
    return blocks


def refresh_articles(photo: PhotoModel) -> None:
    """Copy a photo's new state into the articles that show it, without bumping their version."""
    snapshot = media_snapshot(photo)
    for article_id in sorted(photo.used_by or []):
        for _ in range(5):  # re-read if an editor saved in between
            try:
                article = ArticleModel.get(article_id, consistent_read=True)
            except ArticleModel.DoesNotExist:
                break
            body: Body = [
                replace(block, media=snapshot)
                if isinstance(block, Photo) and block.photo_id == photo.photo_id
                else block
                for block in article.body or []
            ]
            if body == article.body or _replace_body(article, body):
                break


def _replace_body(article: ArticleModel, body: Body) -> bool:
    """Write `body` if the article is still the version read; the version itself stays as it is."""
    return update_without_version(article.id, [ArticleModel.body.set(body)], ArticleModel.version == article.version)


def _link_photos(item: ArticleModel) -> None:
    """After a save: join the `used_by` of the photos it shows (photo blocks, the cover, videos' posters: what
    photo_deletion.py refuses to delete), then refresh snapshots of photos processed meanwhile.

    In this order nothing is missed: a photo processed before the join is caught up here, one processed
    after it finds the article in `used_by` and refreshes it itself.
    """
    shown = [b for b in item.body or [] if isinstance(b, Photo)]
    posters = {b.poster_photo_id for b in item.body or [] if isinstance(b, Video) and b.poster_photo_id}
    wanted = {b.photo_id for b in shown} | posters | ({item.cover_photo_id} - {None})
    snapshots = {b.photo_id: b.media.status if b.media else None for b in shown}
    for photo in PhotoModel.batch_get(list(wanted), consistent_read=True) if wanted else []:
        if item.id not in (photo.used_by or set()):
            photo.update(actions=[PhotoModel.used_by.add({item.id})])
        if snapshots.get(photo.photo_id) == PhotoStatus.PENDING and photo.status != PhotoStatus.PENDING:
            refresh_articles(photo)


def media_snapshot(photo: PhotoModel) -> PhotoMedia:
    """What a page needs of a photo record, copied into the article that shows it."""
    return PhotoMedia(
        status=photo.status,
        width=int(photo.width) if photo.width else None,
        height=int(photo.height) if photo.height else None,
        color=photo.color,
        widths=sorted({int(r["width"]) for r in photo.renditions or []}),
    )


def check_publishable(item: ArticleModel) -> list[str]:
    """The ids of the article's photos still being processed; a 409 naming the blocks whose photo
    (or the cover) is unknown or rejected, which readers would see as a placeholder for good."""
    wanted = [b.photo_id for b in item.body or [] if isinstance(b, Photo)]
    wanted += [item.cover_photo_id] if item.cover_photo_id else []
    unique = sorted(set(wanted))
    photos = {p.photo_id: p for p in PhotoModel.batch_get(unique, consistent_read=True)} if unique else {}

    def unusable(photo_id: str) -> bool:
        photo = photos.get(photo_id)
        return photo is None or photo.status == PhotoStatus.REJECTED

    blocks = [i for i, b in enumerate(item.body or []) if isinstance(b, Photo) and unusable(b.photo_id)]
    if blocks:
        raise Conflict(
            "some photos are missing or were rejected: replace them first",
            code="photos_not_ready",
            field="body",
            blocks=blocks,
        )
    if item.cover_photo_id and unusable(item.cover_photo_id):
        raise Conflict(
            "the cover photo is missing or was rejected", code="cover_not_ready", field="cover_photo_id", blocks=[]
        )
    return [p for p in unique if photos[p].status == PhotoStatus.PENDING]
