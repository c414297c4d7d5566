// The caption list: every photo of the article as a small thumbnail with one caption field, for typing
// many captions in a row (Tab, type, Tab, type) instead of scrolling through the blocks.

import { h, field, replace } from "./dom.js";
import { t } from "./i18n.js";
import { thumbnailUrl } from "./uploads.js";

function captionItem(block, number, changed) {
  const src = block.photo && block.photo.status === "ready" ? thumbnailUrl(block.photo, 160) : null;
  const name = (block.photo && block.photo.filename) || (block.job && block.job.file.name) || "";
  const thumb = src ? h("img", { src, alt: "", class: "caption-thumb" }) : h("span", { class: "caption-thumb muted" }, name || "…");
  const input = h("input", { type: "text", class: "caption-list-input", value: block.caption || "" });
  input.addEventListener("input", () => {
    block.caption = input.value;
    changed();
  });
  return h("li", { class: "caption-item", "data-key": block.key }, thumb, field(t("caption_numbered", { n: number }), input));
}

/**
 * The caption list over the block list `body`, swapped in for `hide` (the blocks and their buttons) by
 * its toggle button. Returns {toggle, element}.
 */
export function createCaptionList(body, changed, hide) {
  const element = h("ol", { class: "caption-list", hidden: true, "aria-label": t("caption_list") });
  const toggle = h("button", { type: "button", class: "caption-toggle", "aria-pressed": "false" }, t("caption_list"));

  function open() {
    const photos = body.blocks.filter((b) => b.type === "photo");
    replace(element, photos.length ? photos.map((b, i) => captionItem(b, i + 1, changed)) : h("li", { class: "muted" }, t("caption_list_empty")));
    element.hidden = false;
    for (const node of hide) node.hidden = true;
    toggle.setAttribute("aria-pressed", "true");
    toggle.textContent = t("caption_list_close");
    element.querySelector("input")?.focus();
  }

  function close() {
    element.hidden = true;
    replace(element);
    for (const node of hide) node.hidden = false;
    body.set(body.blocks); // the blocks show the captions typed here
    toggle.setAttribute("aria-pressed", "false");
    toggle.textContent = t("caption_list");
    toggle.focus();
  }

  toggle.addEventListener("click", () => (element.hidden ? open() : close()));
  return { toggle, element };
}
