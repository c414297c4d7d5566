// Attachment and video blocks in the editor: what they show and what the API gets back.

import { h } from "./dom.js";
import { t } from "./i18n.js";
import "./intake_labels.js";

/** The API's view of an attachment or video block. */
export function mediaData(block) {
  if (block.type === "attachment") {
    return { type: "attachment", attachment_id: block.attachment_id, filename: block.filename, size: block.size };
  }
  const data = block.provider ? { type: "video", provider: block.provider, video_id: block.video_id } : { type: "video", url: block.url };
  if (block.poster_photo_id) data.poster_photo_id = block.poster_photo_id;
  if (block.caption) data.caption = block.caption;
  return data;
}

function sizeText(size) {
  return size < 1048576 ? `${Math.max(1, Math.round(size / 1024))} KB` : `${(size / 1048576).toFixed(1)} MB`;
}

/** A block's controls: the file it offers, or the video it shows and its caption (the block's bar names its kind). */
export function mediaControls(block, list) {
  if (block.type === "attachment") {
    return h("p", { class: "media-block" }, h("strong", {}, block.filename || ""), ` (${sizeText(block.size || 0)})`);
  }
  const what = block.provider ? t(`video_${block.provider}`, { id: block.video_id }) : block.url || "";
  const caption = h("input", { type: "text", value: block.caption || "", "aria-label": t("video_caption"), placeholder: t("video_caption") });
  caption.addEventListener("input", () => {
    block.caption = caption.value;
    list.changed();
  });
  return h("div", { class: "media-block" }, h("p", {}, what), caption);
}
