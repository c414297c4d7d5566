// One block's list item: its bar (name, move up/down, remove), its controls, and dragging by the handle.

import { h } from "./dom.js";
import { t } from "./i18n.js";
import { photoControls } from "./block_photo.js";
import { textControl } from "./block_text.js";
import { mediaControls } from "./block_media.js";

function barButton(action, symbol, label, aria, onclick, disabled = false) {
  const danger = action === "remove" ? " danger" : "";
  return h(
    "button",
    { type: "button", class: `icon${danger}`, "data-action": action, disabled, "aria-label": aria, onclick },
    `${symbol} `,
    h("span", { class: "label-text" }, label),
  );
}

function blockBar(list, block, index, handle) {
  const name = t(`block_${block.type}`);
  const position = t("block_position", { n: index + 1, total: list.blocks.length });
  const last = list.blocks.length - 1;
  return h(
    "div",
    { class: "block-bar" },
    handle,
    h("span", { class: "block-name" }, name, h("span", { class: "visually-hidden" }, ` ${position}`)),
    h(
      "span",
      { class: "block-actions" },
      barButton("up", "↑", t("move_up"), `${t("move_up")} ${name} ${position}`, () => list.move(list.blocks.indexOf(block), -1, "up"), index === 0),
      barButton("down", "↓", t("move_down"), `${t("move_down")} ${name} ${position}`, () => list.move(list.blocks.indexOf(block), 1, "down"), index === last),
      barButton("remove", "✕", t("remove"), `${t("remove")} ${name} ${position}`, () => list.remove(list.blocks.indexOf(block))),
    ),
  );
}

/** Dragging starts from the handle only, so text in the block can still be selected. */
function draggable(list, block, li, handle) {
  handle.addEventListener("mousedown", () => li.setAttribute("draggable", "true"));
  li.addEventListener("dragstart", (event) => {
    list.dragged = block;
    li.classList.add("dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/x-newsroom-block", block.key);
  });
  li.addEventListener("dragend", () => {
    li.removeAttribute("draggable");
    li.classList.remove("dragging");
    list.dragged = null;
  });
  li.addEventListener("dragover", (event) => {
    if (!list.dragged || list.dragged === block) return;
    event.preventDefault();
    const box = li.getBoundingClientRect();
    li.classList.toggle("drop-before", event.clientY < box.top + box.height / 2);
    li.classList.toggle("drop-after", event.clientY >= box.top + box.height / 2);
  });
  li.addEventListener("dragleave", () => li.classList.remove("drop-before", "drop-after"));
  li.addEventListener("drop", (event) => {
    if (!list.dragged || list.dragged === block) return;
    event.preventDefault();
    event.stopPropagation();
    const after = li.classList.contains("drop-after");
    li.classList.remove("drop-before", "drop-after");
    list.moveNextTo(list.dragged, block, after);
  });
}

/**
 * A block's <li>. `list` is the block list's inner interface: {blocks, move, remove, moveNextTo,
 * changed, keepPreview(block, preview), dragged, ...text paste hooks}.
 */
export function blockItem(list, block, index) {
  const handle = h("span", { class: "handle", title: t("drag"), "aria-hidden": "true" }, "⋮⋮");
  const media = block.type === "attachment" || block.type === "video";
  const controls =
    block.type === "photo"
      ? photoControls(block, list.changed, (preview) => list.keepPreview(block, preview))
      : media
        ? mediaControls(block, list)
        : textControl(block, list);
  const li = h(
    "li",
    { class: `block block-${block.type}`, "data-key": block.key },
    blockBar(list, block, index, handle),
    controls,
    h("p", { class: "block-error", hidden: true }),
  );
  draggable(list, block, li, handle);
  return li;
}
