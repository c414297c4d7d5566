// A photo block's fields (caption, alt) and its preview: upload progress, processing, thumbnail or problem.

import { h, field, replace } from "./dom.js";
import { t } from "./i18n.js";
import { photoReason } from "./messages.js";
import { thumbnailUrl } from "./uploads.js";

/** A photo block's preview and fields; the preview element is handed to `keep(preview)`. */
export function photoControls(block, changed, keep) {
  const caption = h("input", { type: "text", class: "caption-input", value: block.caption || "" });
  caption.addEventListener("input", () => {
    block.caption = caption.value;
    changed();
  });
  const alt = h("input", { type: "text", value: block.alt || "" });
  alt.addEventListener("input", () => {
    block.alt = alt.value;
    changed();
  });
  const preview = h("div", { class: "photo-preview" });
  keep(preview);
  return h(
    "div",
    { class: "photo-block" },
    preview,
    h("div", { class: "photo-fields" }, field(t("caption"), caption), field(t("alt"), alt, t("alt_hint"))),
  );
}

function uploadProgress(job, state, name) {
  const percent = Math.round((job.progress || 0) * 100);
  const progress = h("progress", { max: "100", value: String(percent), "aria-label": `${t("upload_progress")} ${name}` });
  return h("div", { class: "upload" }, h("span", { class: "file-name" }, name), progress, h("span", { class: "muted" }, state === "queued" ? t("photo_queued") : `${percent}%`));
}

/** A problem photo: why, and 重试 (a failed upload, the same file again) and 替换 (choose another file). */
function photoProblem(block, state, name, actions) {
  const job = block.job;
  const reason = block.photo && block.photo.reason_code ? photoReason(block.photo) : (job && job.reason) || "";
  const buttons = h("span", { class: "photo-actions" });
  if (state === "failed" && job && job.file instanceof Blob) {
    buttons.append(h("button", { type: "button", "data-action": "retry", onclick: () => actions.retry(block) }, t("retry")));
  }
  const chooser = h("input", { type: "file", accept: "image/jpeg,image/png,image/webp", hidden: true, "aria-label": `${t("replace_photo")} ${name}` });
  chooser.addEventListener("change", () => chooser.files.length && actions.replace(block, chooser.files[0]));
  const replaceButton = h("button", { type: "button", "data-action": "replace", onclick: () => chooser.click() }, t("replace_photo"));
  buttons.append(replaceButton, chooser);
  const title = state === "rejected" ? t("photo_rejected") : job && job.missing ? t("photo_not_fetched") : t("photo_failed");
  return h("div", { class: "photo-problem" }, h("strong", {}, title), h("span", { class: "file-name" }, name), h("span", { class: "reason" }, reason), buttons);
}

/**
 * Show a photo block's upload, processing, thumbnail or rejection in its preview element; `actions`
 * ({retry(block), replace(block, file)}) for a photo that failed or was rejected.
 */
export function renderPhoto(preview, block, actions) {
  const job = block.job;
  const photo = block.photo;
  const state = job ? job.state : photo ? photo.status : "unknown";
  preview.dataset.state = state;
  const name = (job && job.file.name) || (photo && photo.filename) || "";
  if (state === "ready" && photo) {
    const src = thumbnailUrl(photo);
    replace(preview, src ? h("img", { src, alt: block.alt || block.caption || name, class: "thumb" }) : t("photo_ready"));
  } else if (state === "uploading" || state === "queued") {
    replace(preview, uploadProgress(job, state, name));
  } else if (state === "processing" || state === "pending") {
    replace(preview, h("div", { class: "upload" }, h("span", { class: "file-name" }, name), h("span", { class: "spinner", "aria-hidden": "true" }), h("span", {}, t("photo_processing"))));
  } else if (state === "rejected" || state === "failed") {
    replace(preview, photoProblem(block, state, name, actions));
  } else {
    replace(preview, h("span", { class: "muted" }, t("photo_loading")));
  }
}
