// The article's body as a list of blocks (paragraph, heading, photo) that editors add, edit,
// reorder (drag, or the up/down buttons for the keyboard) and remove. A block's item is built in
// block_item.js, its text control in block_text.js, its photo in block_photo.js.

import { h, replace, uid } from "./dom.js";
import { t } from "./i18n.js";
import { blockItem } from "./block_item.js";
import { renderPhoto } from "./block_photo.js";
import { mediaData } from "./block_media.js";
import { richData } from "./richblocks.js";

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
  if (block.type === "attachment" || block.type === "video") return mediaData(block);
  return richData(block) || { type: block.type, text: block.text };
}

/** Focus a block's first field (or, given a selector, that control of it). */
function focusIn(li, selector = "[contenteditable], textarea, input:not(.link-form input)") {
  li?.querySelector(selector)?.focus();
}

/** The list's inner interface the items use; `element`, `items` and `previews` are its own. */
function createInner({ onChange, onImages, photoActions }) {
  const list = {
    element: h("ol", { class: "blocks", "aria-label": t("body") }),
    blocks: [],
    previews: new Map(), // block key -> its photo preview element
    items: new Map(), // block key -> its <li>
    dragged: null,
    current: null, // the key of the block the editor is in (or was in last)
    onImages,
    photoActions,
    newBlock,
    changed: () => onChange(),
    indexOf: (block) => list.blocks.indexOf(block),
    keepPreview(block, preview) {
      list.previews.set(block.key, preview);
      renderPhoto(preview, block, photoActions);
    },
    render() {
      list.previews.clear();
      list.items.clear();
      if (!list.blocks.length) {
        replace(list.element, h("li", { class: "blocks-empty" }, t("body_empty")));
        return;
      }
      replace(list.element, list.blocks.map((block, index) => {
        const li = blockItem(list, block, index);
        list.items.set(block.key, li);
        return li;
      }));
    },
  };
  return list;
}

function addEditing(list) {
  list.move = (index, by, focusName) => {
    const target = index + by;
    if (target < 0 || target >= list.blocks.length) return;
    const [block] = list.blocks.splice(index, 1);
    list.blocks.splice(target, 0, block);
    list.render();
    list.changed();
    const button = list.items.get(block.key)?.querySelector(`[data-action="${focusName}"]`);
    (button && !button.disabled ? button : list.items.get(block.key)?.querySelector("button"))?.focus();
  };
  list.remove = (index) => {
    const [block] = list.blocks.splice(index, 1);
    list.render();
    list.changed();
    const next = list.blocks[Math.min(index, list.blocks.length - 1)];
    if (next) focusIn(list.items.get(next.key));
    return block;
  };
  list.moveNextTo = (moving, target, after) => {
    list.blocks.splice(list.blocks.indexOf(moving), 1);
    list.blocks.splice(list.blocks.indexOf(target) + (after ? 1 : 0), 0, moving);
    list.render();
    list.changed();
  };
  list.insertParagraphs = (index, parts) => {
    const added = parts.map((text) => newBlock("paragraph", { text }));
    list.blocks.splice(index + 1, 0, ...added);
    list.render();
    list.changed();
    const last = added[added.length - 1];
    if (last) focusIn(list.items.get(last.key), "[contenteditable], textarea");
  };
}

/** Mark the blocks a refusal named (0-based), clear the others. */
function markErrors(list, indices, message) {
  list.blocks.forEach((block, index) => {
    const li = list.items.get(block.key);
    const error = li?.querySelector(".block-error");
    if (!li || !error) return;
    const bad = indices.includes(index);
    li.classList.toggle("has-error", bad);
    error.hidden = !bad;
    error.textContent = bad ? message : "";
  });
}

/**
 * The body editor. `onChange()` after any edit; `onImages(files, index)` for images pasted into a block
 * (they go after block `index`); `photoActions` ({retry(block), replace(block, file)}) for problem photos.
 */
export function createBlockList({ onChange, onImages, photoActions }) {
  const list = createInner({ onChange, onImages, photoActions });
  addEditing(list);
  list.element.addEventListener("focusin", (event) => {
    const li = event.target.closest(".block");
    if (li) list.current = li.dataset.key;
  });
  return {
    element: list.element,
    get blocks() {
      return list.blocks;
    },
    set(newBlocks) {
      list.blocks = newBlocks;
      list.render();
    },
    /** Add blocks after `index` (or at the end); focus the first one's first field. */
    add(added, index = list.blocks.length - 1, focus = true) {
      list.blocks.splice(index + 1, 0, ...added);
      list.render();
      list.changed();
      if (focus && added[0]) focusIn(list.items.get(added[0].key));
    },
    /** Show a photo block's upload, processing, thumbnail or rejection. */
    showPhoto(block) {
      const preview = list.previews.get(block.key);
      if (preview) renderPhoto(preview, block, photoActions);
    },
    markErrors: (indices, message) => markErrors(list, indices, message),
    /** Where new blocks go: after the block the editor is in (or was in last), else at the end. */
    insertionIndex() {
      const index = list.blocks.findIndex((b) => b.key === list.current);
      return index >= 0 ? index : list.blocks.length - 1;
    },
    /** Put the editor in a photo block's caption (so the next photos follow it). */
    focusCaption(block) {
      list.current = block.key;
      focusIn(list.items.get(block.key), ".caption-input");
    },
  };
}
