// The article's body as a list of blocks (paragraph, heading, photo) that editors add, edit,
// reorder (drag, or the up/down buttons for the keyboard) and remove.

import { h, field, replace, uid } from "./dom.js";
import { t } from "./i18n.js";
import { thumbnailUrl } from "./uploads.js";
import { emptyTable, listEditor, richData, tableEditor } from "./richblocks.js";
import { richParagraph, splitLines } from "./richtext.js";

const PARAGRAPH_BREAK = /\r?\n[ \t\u3000]*\r?\n/;

/** Text pasted with blank lines between paragraphs: one string per paragraph, line breaks inside kept. */
export function splitParagraphs(text) {
  return text
    .replace(/\r\n?/g, "\n")
    .split(PARAGRAPH_BREAK)
    .map((part) => part.replace(/^\n+|\n+$/g, ""))
    .filter((part) => part.trim());
}

export function newBlock(type, values = {}) {
  return { key: uid("block"), type, text: "", caption: "", alt: "", ...values };
}

/** The API's view of a block. */
export function blockData(block) {
  if (block.type === "photo") {
    const data = { type: "photo", photo_id: block.photo_id };
    if (block.caption) data.caption = block.caption;
    if (block.alt) data.alt = block.alt;
    return data;
  }
  return richData(block) || { type: block.type, text: block.text };
}

function autosize(textarea) {
  textarea.style.height = "auto";
  textarea.style.height = `${textarea.scrollHeight + 2}px`;
}

/**
 * The body editor. `onChange()` after any edit; `onImages(files, index)` for images pasted into a block
 * (they go after block `index`).
 */
export function createBlockList({ onChange, onImages }) {
  const list = h("ol", { class: "blocks", "aria-label": t("body") });
  let blocks = [];
  const previews = new Map(); // block key -> its photo preview element
  const items = new Map(); // block key -> its <li>
  let dragged = null;

  function changed() {
    onChange();
  }

  function move(index, by, focusName) {
    const target = index + by;
    if (target < 0 || target >= blocks.length) return;
    const [block] = blocks.splice(index, 1);
    blocks.splice(target, 0, block);
    render();
    changed();
    const button = items.get(block.key)?.querySelector(`[data-action="${focusName}"]`);
    (button && !button.disabled ? button : items.get(block.key)?.querySelector("button"))?.focus();
  }

  function remove(index) {
    const [block] = blocks.splice(index, 1);
    render();
    changed();
    const next = blocks[Math.min(index, blocks.length - 1)];
    if (next) items.get(next.key)?.querySelector("[contenteditable], textarea, input:not(.link-form input)")?.focus();
    return block;
  }

  function insertParagraphs(index, parts) {
    const added = parts.map((text) => newBlock("paragraph", { text }));
    blocks.splice(index + 1, 0, ...added);
    render();
    changed();
    const last = added[added.length - 1];
    if (last) items.get(last.key)?.querySelector("[contenteditable], textarea")?.focus();
  }

  /** Paragraphs, quotes, lists and tables: richtext.js and richblocks.js. */
  function richControl(block) {
    if (block.type === "list") return listEditor(block, changed);
    if (block.type === "table") return tableEditor(block, changed);
    const at = () => blocks.indexOf(block);
    const swap = (replacement) => {
      blocks.splice(at(), 1, replacement);
      render();
      changed();
      items.get(replacement.key)?.querySelector("[contenteditable], textarea, input:not(.link-form input)")?.focus();
    };
    return richParagraph(block, changed, {
      turnInto(kind) {
        if (kind === "quote") return swap(newBlock(block.type === "quote" ? "paragraph" : "quote", { text: block.text, marks: block.marks }));
        const lines = splitLines(block);
        swap(newBlock("list", { ordered: kind === "numbered", items: lines.length ? lines : [{ text: "" }] }));
      },
      addTable: () => insertBlocks(at(), [newBlock("table", emptyTable())]),
      pasted(added) {
        const made = added.map((b) => newBlock(b.type, { ...b }));
        if (!(block.text || "").trim()) blocks.splice(at(), 1);
        insertBlocks(blocks.includes(block) ? at() : at() - 1, made);
      },
      images(event) {
        const images = [...event.clipboardData.files].filter((f) => f.type.startsWith("image/"));
        if (!images.length) return;
        event.preventDefault();
        onImages(images, at());
      },
      plain(text) {
        const parts = splitParagraphs(text);
        document.execCommand("insertText", false, parts.shift() || "");
        if (parts.length) insertParagraphs(at(), parts);
      },
    });
  }

  function insertBlocks(index, added) {
    blocks.splice(index + 1, 0, ...added);
    render();
    changed();
    items.get(added[0]?.key)?.querySelector("[contenteditable], textarea, input:not(.link-form input)")?.focus();
  }

  function textControl(block, index) {
    if (block.type !== "heading") return richControl(block);
    const isParagraph = block.type === "paragraph";
    const control = isParagraph ? h("textarea", { rows: 3 }) : h("input", { type: "text", class: "heading-input" });
    control.value = block.text || "";
    control.addEventListener("input", () => {
      block.text = control.value;
      if (isParagraph) autosize(control);
      changed();
    });
    if (isParagraph) {
      control.addEventListener("paste", (event) => {
        const data = event.clipboardData;
        if (!data) return;
        const images = [...data.files].filter((f) => f.type.startsWith("image/"));
        if (images.length) {
          event.preventDefault();
          onImages(images, blocks.indexOf(block));
          return;
        }
        const parts = splitParagraphs(data.getData("text/plain") || "");
        if (parts.length < 2) return; // one paragraph: the browser pastes it as usual
        event.preventDefault();
        const before = control.value.slice(0, control.selectionStart);
        const after = control.value.slice(control.selectionEnd);
        parts[0] = before + parts[0];
        parts[parts.length - 1] += after;
        block.text = parts.shift();
        control.value = block.text;
        insertParagraphs(blocks.indexOf(block), parts);
      });
      requestAnimationFrame(() => autosize(control));
    }
    return field(isParagraph ? t("paragraph") : t("heading"), control);
  }

  function photoPreview(block) {
    const preview = h("div", { class: "photo-preview" });
    previews.set(block.key, preview);
    showPhoto(block);
    return preview;
  }

  function photoControls(block) {
    const caption = h("input", { type: "text", value: block.caption || "" });
    caption.addEventListener("input", () => {
      block.caption = caption.value;
      changed();
    });
    const alt = h("input", { type: "text", value: block.alt || "" });
    alt.addEventListener("input", () => {
      block.alt = alt.value;
      changed();
    });
    return h(
      "div",
      { class: "photo-block" },
      photoPreview(block),
      h("div", { class: "photo-fields" }, field(t("caption"), caption), field(t("alt"), alt, t("alt_hint"))),
    );
  }

  function item(block, index) {
    const name = t(`block_${block.type}`);
    const position = t("block_position", { n: index + 1, total: blocks.length });
    const handle = h("span", { class: "handle", title: t("drag"), "aria-hidden": "true" }, "⋮⋮");
    const li = h(
      "li",
      { class: `block block-${block.type}`, "data-key": block.key },
      h(
        "div",
        { class: "block-bar" },
        handle,
        h("span", { class: "block-name" }, name, h("span", { class: "visually-hidden" }, ` ${position}`)),
        h(
          "span",
          { class: "block-actions" },
          h(
            "button",
            { type: "button", class: "icon", "data-action": "up", disabled: index === 0, "aria-label": `${t("move_up")} ${name} ${position}`, onclick: () => move(blocks.indexOf(block), -1, "up") },
            "↑ ",
            h("span", { class: "label-text" }, t("move_up")),
          ),
          h(
            "button",
            { type: "button", class: "icon", "data-action": "down", disabled: index === blocks.length - 1, "aria-label": `${t("move_down")} ${name} ${position}`, onclick: () => move(blocks.indexOf(block), 1, "down") },
            "↓ ",
            h("span", { class: "label-text" }, t("move_down")),
          ),
          h(
            "button",
            { type: "button", class: "icon danger", "data-action": "remove", "aria-label": `${t("remove")} ${name} ${position}`, onclick: () => remove(blocks.indexOf(block)) },
            "✕ ",
            h("span", { class: "label-text" }, t("remove")),
          ),
        ),
      ),
      block.type === "photo" ? photoControls(block) : textControl(block, index),
      h("p", { class: "block-error", hidden: true }),
    );
    // Dragging starts from the handle only, so text in the block can still be selected.
    handle.addEventListener("mousedown", () => li.setAttribute("draggable", "true"));
    li.addEventListener("dragstart", (event) => {
      dragged = block;
      li.classList.add("dragging");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/x-newsroom-block", block.key);
    });
    li.addEventListener("dragend", () => {
      li.removeAttribute("draggable");
      li.classList.remove("dragging");
      dragged = null;
    });
    li.addEventListener("dragover", (event) => {
      if (!dragged || dragged === block) return;
      event.preventDefault();
      const box = li.getBoundingClientRect();
      li.classList.toggle("drop-before", event.clientY < box.top + box.height / 2);
      li.classList.toggle("drop-after", event.clientY >= box.top + box.height / 2);
    });
    li.addEventListener("dragleave", () => li.classList.remove("drop-before", "drop-after"));
    li.addEventListener("drop", (event) => {
      if (!dragged || dragged === block) return;
      event.preventDefault();
      event.stopPropagation();
      const after = li.classList.contains("drop-after");
      li.classList.remove("drop-before", "drop-after");
      const moving = dragged;
      blocks.splice(blocks.indexOf(moving), 1);
      blocks.splice(blocks.indexOf(block) + (after ? 1 : 0), 0, moving);
      render();
      changed();
    });
    items.set(block.key, li);
    return li;
  }

  function render() {
    previews.clear();
    items.clear();
    if (!blocks.length) {
      replace(list, h("li", { class: "blocks-empty" }, t("body_empty")));
      return;
    }
    replace(list, blocks.map(item));
  }

  /** Show a photo block's upload, processing, thumbnail or rejection. */
  function showPhoto(block) {
    const preview = previews.get(block.key);
    if (!preview) return;
    const job = block.job;
    const photo = block.photo;
    const state = job ? job.state : photo ? photo.status : "unknown";
    preview.dataset.state = state;
    const name = (job && job.file.name) || (photo && photo.filename) || "";
    if (state === "ready" && photo) {
      const src = thumbnailUrl(photo);
      replace(preview, src ? h("img", { src, alt: block.alt || block.caption || name, class: "thumb" }) : t("photo_ready"));
    } else if (state === "uploading" || state === "queued") {
      const progress = h("progress", { max: "100", value: String(Math.round((job.progress || 0) * 100)), "aria-label": `${t("upload_progress")} ${name}` });
      replace(preview, h("div", { class: "upload" }, h("span", { class: "file-name" }, name), progress, h("span", { class: "muted" }, state === "queued" ? t("photo_queued") : `${Math.round((job.progress || 0) * 100)}%`)));
    } else if (state === "processing" || state === "pending") {
      replace(preview, h("div", { class: "upload" }, h("span", { class: "file-name" }, name), h("span", { class: "spinner", "aria-hidden": "true" }), h("span", {}, t("photo_processing"))));
    } else if (state === "rejected" || state === "failed") {
      const reason = (job && job.reason) || (photo && photo.reason) || "";
      replace(preview, h("div", { class: "photo-problem" }, h("strong", {}, state === "rejected" ? t("photo_rejected") : t("photo_failed")), h("span", { class: "file-name" }, name), h("span", { class: "reason" }, reason)));
    } else {
      replace(preview, h("span", { class: "muted" }, t("photo_loading")));
    }
  }

  return {
    element: list,
    get blocks() {
      return blocks;
    },
    set(newBlocks) {
      blocks = newBlocks;
      render();
    },
    /** Add blocks after `index` (or at the end); focus the first one's first field. */
    add(added, index = blocks.length - 1, focus = true) {
      blocks.splice(index + 1, 0, ...added);
      render();
      changed();
      if (focus && added[0]) items.get(added[0].key)?.querySelector("[contenteditable], textarea, input:not(.link-form input)")?.focus();
    },
    showPhoto,
    /** Mark the blocks a refusal named (0-based), clear the others. */
    markErrors(indices, message) {
      blocks.forEach((block, index) => {
        const li = items.get(block.key);
        const error = li?.querySelector(".block-error");
        if (!li || !error) return;
        const bad = indices.includes(index);
        li.classList.toggle("has-error", bad);
        error.hidden = !bad;
        error.textContent = bad ? message : "";
      });
    },
  };
}
