// The editor's page: the body panel (blocks, add buttons, dropping and pasting photos) and the layout.

import { h, field, replace } from "./dom.js";
import { t } from "./i18n.js";
import { newBlock } from "./blocks.js";
import { openLibrary } from "./library.js";
import { isImage } from "./editor_photos.js";
import { createCaptionList } from "./caption_list.js";
import { intakeTools } from "./intake.js";

/** The index of the block holding `node` (the focus by default), or -1. */
export function blockIndexAt(body, node = document.activeElement) {
  const li = node && node.closest && node.closest(".block");
  return li ? body.blocks.findIndex((b) => b.key === li.dataset.key) : -1;
}

function addButtons(ed) {
  const files = h("input", { type: "file", multiple: true, accept: "image/jpeg,image/png,image/webp", class: "file-input", id: "add-photos" });
  files.addEventListener("change", () => {
    ed.photos.addImages(files.files);
    files.value = "";
  });
  const addParagraph = h("button", { type: "button" }, t("add_paragraph"));
  addParagraph.addEventListener("click", () => ed.body.add([newBlock("paragraph")], ed.body.insertionIndex()));
  const addHeading = h("button", { type: "button" }, t("add_heading"));
  addHeading.addEventListener("click", () => ed.body.add([newBlock("heading")], ed.body.insertionIndex()));
  const fromLibrary = h("button", { type: "button" }, t("from_library"));
  fromLibrary.addEventListener("click", () =>
    openLibrary((photo) => {
      const block = newBlock("photo", { photo_id: photo.photo_id, photo });
      ed.body.add([block], ed.body.insertionIndex(), false);
      ed.body.showPhoto(block);
      ed.body.focusCaption(block);
      ed.refreshCover();
    }),
  );
  return h(
    "div",
    { class: "add-blocks" },
    addParagraph,
    addHeading,
    h("span", { class: "file-button" }, h("label", { for: files.id, class: "button" }, t("add_photos")), files),
    fromLibrary,
  );
}

function acceptDrops(drop, ed) {
  drop.addEventListener("dragover", (event) => {
    if ([...event.dataTransfer.types].includes("Files")) {
      event.preventDefault();
      drop.classList.add("dropping");
    }
  });
  drop.addEventListener("dragleave", (event) => {
    if (!drop.contains(event.relatedTarget)) drop.classList.remove("dropping");
  });
  drop.addEventListener("drop", (event) => {
    drop.classList.remove("dropping");
    if (!event.dataTransfer.files.length) return;
    event.preventDefault();
    const onto = blockIndexAt(ed.body, event.target);
    ed.photos.addImages(event.dataTransfer.files, onto >= 0 ? onto : ed.body.insertionIndex());
  });
}

/** The body's panel: the blocks, the add buttons, and photos dropped on it. */
export function bodyPanel(ed) {
  const buttons = addButtons(ed);
  const hint = h("p", { class: "hint" }, t("photos_hint"));
  const captions = createCaptionList(ed.body, ed.changed, [ed.body.element, buttons, hint]);
  const drop = h(
    "section",
    { class: "panel body-panel", "aria-labelledby": "body-title" },
    h("div", { class: "panel-head" }, h("h2", { id: "body-title" }, t("body")), captions.toggle),
    ed.body.element,
    captions.element,
    buttons,
    intakeTools(ed),
    hint,
  );
  acceptDrops(drop, ed);
  return drop;
}

/** An image pasted anywhere in the editor outside a paragraph becomes photo blocks after the focused block. */
export function pasteHandler(ed) {
  return (event) => {
    if (event.defaultPrevented || !event.clipboardData) return;
    const images = [...event.clipboardData.files].filter(isImage);
    if (!images.length) return;
    event.preventDefault();
    const index = blockIndexAt(ed.body);
    ed.photos.addImages(images, index >= 0 ? index : ed.body.insertionIndex());
  };
}

/** On a phone: 保存, 预览 and 发布 always at hand at the bottom of the screen (hidden on wider screens). */
function phoneBar(ed) {
  const press = (selector) => () => ed.publish.element.querySelector(selector)?.click();
  return h(
    "div",
    { class: "phone-bar", role: "group", "aria-label": t("publishing") },
    h("button", { type: "button", class: "primary", onclick: () => ed.save() }, t("save")),
    h("button", { type: "button", onclick: press("[data-action=preview]") }, t("preview")),
    h("button", { type: "button", onclick: press("[data-action=publish]") }, t("publish")),
  );
}

/** Lay the editor out in `main`. */
export function layOut(main, ed, articleId) {
  replace(
    main,
    h(
      "div",
      { class: "page-head" },
      h("h1", {}, articleId ? t("edit_article") : t("new_article")),
      h("a", { href: "#/articles", class: "back" }, t("back_to_list")),
    ),
    ed.conflict,
    h(
      "fieldset",
      { class: "editor", disabled: true },
      h(
        "div",
        { class: "editor-main" },
        h("section", { class: "panel" }, field(t("title"), ed.form.inputs.title), field(t("subtitle"), ed.form.inputs.subtitle)),
        bodyPanel(ed),
      ),
      h(
        "aside",
        { class: "editor-side" },
        h("section", { class: "panel save-panel" }, h("div", { class: "actions" }, ed.saveButton, ed.saveState, ed.discardButton)),
        ed.publish.element,
        ed.workflow.element,
        ed.form.details(),
      ),
      phoneBar(ed),
    ),
  );
}
