// The article editor: fields, the body's blocks, photos, saving with the version, conflicts, publishing.
// The parts live in editor_form.js, editor_photos.js, editor_save.js and editor_layout.js; this module
// holds the editor's state (`ed`) and opens the article.

import { api } from "./api.js";
import { navigate, say } from "./app.js";
import { h } from "./dom.js";
import { t } from "./i18n.js";
import { categoryOptions, withCategories } from "./articles.js";
import { blockData, createBlockList, newBlock } from "./blocks.js";
import { dropDraft, keepDraft, loadDraft } from "./drafts.js";
import { createForm } from "./editor_form.js";
import { layOut, pasteHandler } from "./editor_layout.js";
import { createPhotos } from "./editor_photos.js";
import { bringInImages } from "./paste_images.js";
import { createSaving, keptBlocks } from "./editor_save.js";
import { createPublishPanel } from "./publishing.js";
import { createWorkflowPanel } from "./workflow_panel.js";

/** The editor's state and parts, shared by its modules. */
function createState(articleId) {
  const ed = {
    articleId,
    article: null, // the last saved copy from the server
    baseVersion: null, // the version this edit is based on
    alive: true,
    ready: false, // nothing is kept as a draft until the article is on the page
    form: createForm(),
    conflict: h("div", { class: "conflict", hidden: true }),
    saveButton: h("button", { type: "button", class: "primary" }, t("save")),
    saveState: h("span", { class: "save-state muted", "aria-live": "polite" }),
    discardButton: h("button", { type: "button", class: "quiet discard-draft", hidden: true }, t("discard_draft")),
  };
  ed.changed = () => changed(ed);
  ed.body = createBlockList({
    onChange: ed.changed,
    onImages: (files, index) => ed.photos.addImages(files, index),
    photoActions: {
      retry: (block) => ed.photos.upload(block, block.job.file),
      replace: (block, file) => ed.photos.upload(block, file),
      bringIn: (blocks) => bringInImages(blocks, ed.photos),
    },
  });
  ed.photos = createPhotos(ed);
  ed.refreshCover = () => ed.form.refreshCover(ed.photos.photoBlocks());
  ed.fill = (fields, blocks) => fill(ed, fields, blocks);
  Object.assign(ed, createSaving(ed));
  ed.publish = publishPanel(ed);
  ed.workflow = workflowPanel(ed);
  return ed;
}

function changed(ed) {
  if (!ed.alive || !ed.ready) return;
  keepDraft(ed.article ? ed.article.id : ed.articleId, {
    base_version: ed.baseVersion,
    fields: ed.form.gather(),
    body: ed.body.blocks.filter((b) => b.type !== "photo" || b.photo_id).map((b) => ({ ...blockData(b) })),
  });
  ed.saveState.textContent = t("unsaved");
}

function fill(ed, fields, blocks) {
  ed.form.fill(fields);
  const list = (blocks || []).map((b) => newBlock(b.type, { ...b }));
  ed.body.set(list);
  ed.refreshCover();
  ed.photos.lookUpPhotos(list);
}

function publishPanel(ed) {
  return createPublishPanel({
    save: () => ed.save(),
    current: () => ed.article,
    refused(indices, fieldName) {
      const kept = keptBlocks(ed.body.blocks);
      const keys = new Set(indices.map((i) => kept[i] && kept[i].key));
      const marked = ed.body.blocks.map((b, i) => (keys.has(b.key) ? i : -1)).filter((i) => i >= 0);
      ed.body.markErrors(marked, t("refused_block"));
      ed.form.cover.toggleAttribute("aria-invalid", fieldName === "cover_photo_id");
    },
    updated(answer) {
      ed.article = answer;
      ed.baseVersion = answer.version;
      ed.publish.show(answer);
      ed.saveState.textContent = t("saved_version", { version: answer.version });
    },
  });
}

/** 放弃本机草稿: back to the server's copy (or an empty article), the local copy gone. */
function discardDraft(ed) {
  if (!window.confirm(t("confirm_discard_draft"))) return;
  dropDraft(ed.article ? ed.article.id : ed.articleId);
  ed.ready = false;
  if (ed.article) {
    ed.fill(ed.article, ed.article.body);
    ed.saveState.textContent = t("saved_version", { version: ed.article.version });
    ed.baseVersion = ed.article.version;
  } else {
    ed.form.fill({});
    ed.body.set([newBlock("paragraph")]);
    ed.saveState.textContent = "";
  }
  ed.ready = true;
  ed.discardButton.hidden = true;
  say(t("draft_discarded"), "success");
}

/** Review and history (workflow_panel.js); it follows every article the publishing panel is shown. */
function workflowPanel(ed) {
  const panel = createWorkflowPanel({
    save: () => ed.save(),
    current: () => ed.article,
    updated(answer) {
      ed.article = answer;
      ed.baseVersion = answer.version;
      ed.publish.show(answer);
      ed.saveState.textContent = t("saved_version", { version: answer.version });
    },
    fill: (fields, blocks) => ed.fill(fields, blocks),
  });
  const showPublishing = ed.publish.show;
  ed.publish.show = (article) => {
    showPublishing(article);
    panel.show(article);
  };
  return panel;
}

function start(ed, main, fields, blocks, restored) {
  if (fields) ed.fill(fields, blocks);
  else ed.body.set([newBlock("paragraph")]);
  if (restored) {
    ed.saveState.textContent = t("unsaved");
    ed.discardButton.hidden = false;
    say(t("draft_restored"));
  }
  ed.ready = true;
  main.querySelector("fieldset.editor").disabled = false;
  if (!ed.articleId && !restored) ed.form.inputs.title.focus();
}

function loadCategoryChoices(ed) {
  const use = (categories) => ed.form.addCategories(categoryOptions(categories, "").slice(1));
  withCategories(ed.form.inputs.category, use, () => ed.alive);
}

async function open(ed, main, draft) {
  const { articleId } = ed;
  if (!articleId) {
    ed.publish.show(null);
    if (draft) ed.baseVersion = draft.base_version ?? null;
    start(ed, main, draft && draft.fields, draft && draft.body, Boolean(draft));
  }
  loadCategoryChoices(ed);
  if (!articleId) return;
  try {
    ed.article = await api("GET", `/articles/${encodeURIComponent(articleId)}`);
  } catch (error) {
    if (error.status === 404) {
      say(t("not_found"), "error");
      navigate("#/articles");
    } else if (error.status !== 401) say(error.message, "error");
    return;
  }
  if (!ed.alive) return;
  ed.baseVersion = ed.article.version;
  ed.publish.show(ed.article);
  ed.saveState.textContent = t("saved_version", { version: ed.article.version });
  if (draft) {
    ed.baseVersion = draft.base_version ?? ed.baseVersion;
    start(ed, main, draft.fields || {}, draft.body, true);
  } else {
    start(ed, main, ed.article, ed.article.body, false);
  }
}

export function showEditor(main, articleId) {
  const ed = createState(articleId);
  const draft = loadDraft(articleId);
  ed.saveButton.addEventListener("click", () => ed.save());
  ed.discardButton.addEventListener("click", () => discardDraft(ed));
  for (const control of ed.form.controls) {
    control.addEventListener("input", () => {
      control.removeAttribute("aria-invalid");
      ed.changed();
    });
  }
  const onPaste = pasteHandler(ed);
  document.addEventListener("paste", onPaste);
  layOut(main, ed, articleId);
  open(ed, main, draft);
  return () => {
    ed.alive = false;
    ed.photos.uploader.stop();
    document.removeEventListener("paste", onPaste);
  };
}
