// The editor's photos: chosen, dropped or pasted files uploaded in order into photo blocks, and the
// thumbnails of photos an opened article already has.

import { say } from "./app.js";
import { t } from "./i18n.js";
import { newBlock } from "./blocks.js";
import { lookUpPhotos as lookUpStatuses } from "./photo_status.js";
import { createUploader } from "./uploads.js";

export function isImage(file) {
  return file.type.startsWith("image/") || /\.(jpe?g|png|webp)$/i.test(file.name);
}

/** The editor's photo blocks. */
function photoBlocksOf(ed) {
  return ed.body.blocks.filter((b) => b.type === "photo");
}

/** Once no upload is running: one line for all of them (an error while any failed or was rejected). */
function announceUploads(ed) {
  const photos = photoBlocksOf(ed);
  const busy = photos.filter((b) => b.job && !["failed"].includes(b.job.state)).length;
  const bad = photos.filter((b) => (b.photo && b.photo.status === "rejected") || (b.job && b.job.state === "failed")).length;
  if (!busy) say(bad ? t("uploads_done_with_problems", { n: bad }) : t("uploads_done"), bad ? "error" : "success");
}

/** What an upload job's change shows in its block. */
function jobChanged(ed, job) {
  const block = job.block;
  if (!block) return;
  if (job.photo_id) block.photo_id = job.photo_id;
  if (job.photo) block.photo = job.photo;
  ed.body.showPhoto(block);
  if ((job.state === "uploading" && job.progress === 0) || job.reused) ed.changed();
  if (job.state === "ready" || job.state === "rejected") {
    delete block.job;
    block.photo = job.photo;
    ed.body.showPhoto(block);
    ed.refreshCover();
    announceUploads(ed);
  }
  if (job.state === "failed") announceUploads(ed);
}

/** Watch a photo still being processed in `block`. */
function watch(uploader, block, photo) {
  block.job = uploader.watch({ file: { name: photo.filename || "" }, state: "processing", photo_id: photo.photo_id, block });
}

/** Photos that arrive from the server: an opened article's (one request for all), a pasted image's address. */
function arrivals(ed, uploader) {
  /** Show photo blocks' thumbnails for an article opened from the server or a local draft: one request. */
  async function lookUpPhotos(blocks) {
    const wanted = blocks.filter((b) => b.type === "photo" && b.photo_id && !b.photo);
    if (!wanted.length) return;
    let found = {};
    let failure = null;
    try {
      found = await lookUpStatuses(wanted.map((b) => b.photo_id));
    } catch (error) {
      failure = error;
    }
    if (!ed.alive) return;
    for (const block of wanted) {
      block.photo = found[block.photo_id] || { status: "rejected", reason: failure ? failure.message : t("photo_unknown") };
      if (block.photo.status === "pending") watch(uploader, block, block.photo);
      ed.body.showPhoto(block);
    }
    ed.refreshCover();
  }

  /** A photo the server brought in (a pasted image's address) shown in `block`, watched while processed. */
  function adopt(block, photo) {
    delete block.job;
    block.photo_id = photo.photo_id;
    block.photo = photo;
    if (photo.status === "pending") watch(uploader, block, photo);
    ed.body.showPhoto(block);
    ed.refreshCover();
    ed.changed();
  }

  /** A pasted image that could not be brought in: a placeholder saying so, with 替换 to upload the file. */
  function showMissing(block, name, reason) {
    block.job = { state: "failed", missing: true, file: { name }, reason };
    ed.body.showPhoto(block);
  }

  return { lookUpPhotos, adopt, showMissing };
}

/**
 * Photos for the editor `ed` ({body, alive, changed(), refreshCover()}): returns {uploader, photoBlocks(),
 * addImages(files, afterIndex), upload(block, file), lookUpPhotos(blocks), adopt(block, photo), showMissing(...)}.
 */
export function createPhotos(ed) {
  const uploader = createUploader((job) => jobChanged(ed, job));

  /**
   * Images chosen, dropped or pasted: one photo block each, in order, after the block the editor is in,
   * uploaded straight away; the editor is left in the last one's caption, so the next photos follow it.
   */
  function addImages(list, afterIndex = ed.body.insertionIndex()) {
    const images = [...list].filter(isImage);
    if (images.length < list.length) say(t("not_images", { n: list.length - images.length }), "error");
    if (!images.length) return;
    const added = images.map(() => newBlock("photo", { caption: "", alt: "" }));
    const jobs = uploader.add(images);
    jobs.forEach((job, i) => {
      job.block = added[i];
      added[i].job = job;
    });
    ed.body.add(added, afterIndex, false);
    added.forEach((block) => ed.body.showPhoto(block));
    ed.body.focusCaption(added[added.length - 1]);
    say(t("uploading_n", { n: images.length }));
  }

  /** Upload `file` into an existing photo block (重试 with the same file, 替换 with another). */
  function upload(block, file) {
    if (!isImage(file)) {
      say(t("not_images", { n: 1 }), "error");
      return;
    }
    delete block.photo_id;
    delete block.photo;
    const [job] = uploader.add([file]);
    job.block = block;
    block.job = job;
    ed.body.showPhoto(block);
    ed.changed();
  }

  return { uploader, photoBlocks: () => photoBlocksOf(ed), addImages, upload, ...arrivals(ed, uploader) };
}
