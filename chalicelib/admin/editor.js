// The article editor: fields, the body's blocks, photos, saving with the version, conflicts, publishing.

import { api } from "./api.js";
import { navigate, say } from "./app.js";
import { field, h, replace, select } from "./dom.js";
import { t } from "./i18n.js";
import { categoryOptions, loadCategories } from "./articles.js";
import { blockData, createBlockList, newBlock } from "./blocks.js";
import { dropDraft, keepDraft, loadDraft } from "./drafts.js";
import { openLibrary } from "./library.js";
import { createPublishPanel } from "./publishing.js";
import { createUploader } from "./uploads.js";

const FIELDS = ["title", "subtitle", "category", "source", "author"];
const PHOTO_LOOKUPS = 4; // photo records read at once when an article opens

function isImage(file) {
  return file.type.startsWith("image/") || /\.(jpe?g|png|webp)$/i.test(file.name);
}

export function showEditor(main, articleId) {
  let article = null; // the last saved copy from the server
  let baseVersion = null; // the version this edit is based on
  let alive = true;
  let saving = null;
  let ready = false; // nothing is kept as a draft until the article is on the page
  const draft = loadDraft(articleId);

  const inputs = {
    title: h("input", { type: "text", name: "title", required: true, class: "title-input" }),
    subtitle: h("input", { type: "text", name: "subtitle" }),
    category: select([["", t("choose_category")]], ""),
    source: h("input", { type: "text", name: "source" }),
    author: h("input", { type: "text", name: "author" }),
  };
  inputs.category.name = "category";
  inputs.category.required = true;
  const notice = h("input", { type: "checkbox", name: "notice" });
  const cover = select([["", t("no_cover")]], "");
  cover.name = "cover_photo_id";
  const files = h("input", { type: "file", multiple: true, accept: "image/jpeg,image/png,image/webp", class: "file-input" });
  const conflict = h("div", { class: "conflict", hidden: true });
  const saveButton = h("button", { type: "button", class: "primary" }, t("save"));
  const saveState = h("span", { class: "save-state muted", "aria-live": "polite" });

  const uploader = createUploader((job) => {
    const block = job.block;
    if (!block) return;
    if (job.photo_id) block.photo_id = job.photo_id;
    if (job.photo) block.photo = job.photo;
    body.showPhoto(block);
    if (job.state === "uploading" && job.progress === 0) changed();
    if (job.state === "ready" || job.state === "rejected") {
      delete block.job;
      block.photo = job.photo;
      body.showPhoto(block);
      refreshCover();
      announceUploads();
    }
    if (job.state === "failed") announceUploads();
  });

  const body = createBlockList({ onChange: changed, onImages: addImages });

  function gather() {
    const fields = {};
    for (const name of FIELDS) fields[name] = inputs[name].value.trim() ? inputs[name].value : null;
    fields.title = inputs.title.value;
    fields.notice = notice.checked;
    fields.cover_photo_id = cover.value || null;
    return fields;
  }

  function photoBlocks() {
    return body.blocks.filter((b) => b.type === "photo");
  }

  function refreshCover() {
    const chosen = cover.value || cover.dataset.wanted || "";
    const options = [["", t("no_cover")]];
    photoBlocks().forEach((b, i) => {
      if (b.photo_id) options.push([b.photo_id, `${i + 1}. ${b.caption || (b.photo && b.photo.filename) || b.photo_id}`]);
    });
    replace(cover, options.map(([value, text]) => h("option", { value }, text)));
    cover.value = options.some(([value]) => value === chosen) ? chosen : "";
    if (chosen && cover.value !== chosen) cover.dataset.wanted = chosen;
    else delete cover.dataset.wanted;
  }

  function changed() {
    if (!alive || !ready) return;
    keepDraft(article ? article.id : articleId, {
      base_version: baseVersion,
      fields: gather(),
      body: body.blocks.filter((b) => b.type !== "photo" || b.photo_id).map((b) => ({ ...blockData(b) })),
    });
    saveState.textContent = t("unsaved");
  }

  function announceUploads() {
    const photos = photoBlocks();
    const busy = photos.filter((b) => b.job && !["failed"].includes(b.job.state)).length;
    const bad = photos.filter((b) => (b.photo && b.photo.status === "rejected") || (b.job && b.job.state === "failed")).length;
    if (!busy) say(bad ? t("uploads_done_with_problems", { n: bad }) : t("uploads_done"), bad ? "error" : "success");
  }

  /** Images chosen, dropped or pasted: one photo block each, in order, uploaded straight away. */
  function addImages(list, afterIndex = body.blocks.length - 1) {
    const images = [...list].filter(isImage);
    if (images.length < list.length) say(t("not_images", { n: list.length - images.length }), "error");
    if (!images.length) return;
    const added = images.map((file) => newBlock("photo", { caption: "", alt: "" }));
    const jobs = uploader.add(images);
    jobs.forEach((job, i) => {
      job.block = added[i];
      added[i].job = job;
    });
    body.add(added, afterIndex, false);
    added.forEach((block) => body.showPhoto(block));
    say(t("uploading_n", { n: images.length }));
  }

  /** Show photo blocks' thumbnails for an article opened from the server or a local draft. */
  async function lookUpPhotos(blocks) {
    const queue = blocks.filter((b) => b.type === "photo" && b.photo_id && !b.photo);
    async function worker() {
      while (alive && queue.length) {
        const block = queue.shift();
        try {
          block.photo = await api("GET", `/photos/${encodeURIComponent(block.photo_id)}`);
        } catch (error) {
          block.photo = { status: "rejected", reason: error.status === 404 ? t("photo_unknown") : error.message };
        }
        if (block.photo.status === "pending") {
          block.job = uploader.watch({ file: { name: block.photo.filename || "" }, state: "processing", photo_id: block.photo_id, block });
        }
        body.showPhoto(block);
        refreshCover();
      }
    }
    await Promise.all(Array.from({ length: PHOTO_LOOKUPS }, worker));
  }

  function fill(fields, blocks) {
    for (const name of FIELDS) inputs[name].value = fields[name] || "";
    inputs.category.dataset.wanted = fields.category || "";
    notice.checked = Boolean(fields.notice);
    cover.dataset.wanted = fields.cover_photo_id || "";
    cover.value = "";
    const list = (blocks || []).map((b) => newBlock(b.type, { ...b }));
    body.set(list);
    refreshCover();
    lookUpPhotos(list);
  }

  function saved(answer) {
    const wasNew = !article;
    dropDraft(article ? article.id : articleId);
    article = answer;
    baseVersion = answer.version;
    publish.show(article);
    saveState.textContent = t("saved_version", { version: answer.version });
    if (wasNew) history.replaceState(null, "", `#/articles/${answer.id}`);
  }

  /** Save; resolves to the saved article, or null when it could not be saved (the reason is shown). */
  async function save() {
    if (saving) return saving;
    saving = doSave().finally(() => {
      saving = null;
    });
    return saving;
  }

  async function doSave() {
    const photos = photoBlocks();
    if (photos.some((b) => !b.photo_id && b.job && b.job.state !== "failed")) {
      say(t("wait_uploads"), "error");
      return null;
    }
    if (photos.some((b) => !b.photo_id)) {
      say(t("remove_failed"), "error");
      return null;
    }
    const fields = gather();
    if (!fields.title.trim()) return invalid("title", t("title_required"));
    if (!fields.category) return invalid("category", t("category_required"));
    const kept = body.blocks.filter((b) => ["photo", "list", "table"].includes(b.type) || (b.text || "").trim());
    const data = { ...fields, body: kept.map(blockData) };
    saveButton.disabled = true;
    saveState.textContent = t("saving");
    try {
      const answer = article
        ? await api("PUT", `/articles/${encodeURIComponent(article.id)}`, { ...data, version: baseVersion })
        : await api("POST", "/articles", data);
      if (!alive) return answer;
      conflict.hidden = true;
      if (kept.length !== body.blocks.length) body.set(kept);
      saved(answer);
      say(t("saved"), "success");
      return answer;
    } catch (error) {
      saveState.textContent = t("unsaved");
      if (error.status === 401) return null;
      if (error.status === 409 && error.body.current_version) {
        await showConflict();
        return null;
      }
      if (error.status === 0) {
        say(t("network_kept"), "error");
        return null;
      }
      const name = (error.field || "").split(/[.[]/)[0];
      if (inputs[name]) inputs[name].focus();
      say(error.message || t("failed"), "error");
      return null;
    } finally {
      saveButton.disabled = false;
    }
  }

  function invalid(name, message) {
    say(message, "error");
    inputs[name].setAttribute("aria-invalid", "true");
    inputs[name].focus();
    return null;
  }

  /** Someone saved in between: say what changed, and let the editor keep theirs or take the other. */
  async function showConflict() {
    let theirs;
    try {
      theirs = await api("GET", `/articles/${encodeURIComponent(article.id)}`);
    } catch {
      say(t("failed"), "error");
      return;
    }
    const mine = gather();
    const differences = [];
    for (const name of [...FIELDS, "notice", "cover_photo_id"]) {
      if ((mine[name] || null) !== (theirs[name] || null)) {
        differences.push(h("li", {}, `${t(name)}: `, h("q", {}, String(theirs[name] ?? "—"))));
      }
    }
    const myBody = JSON.stringify(body.blocks.map(blockData));
    if (myBody !== JSON.stringify(theirs.body || [])) {
      differences.push(h("li", {}, t("body_differs", { n: (theirs.body || []).length })));
    }
    const keep = h("button", { type: "button", class: "primary" }, t("keep_mine"));
    keep.addEventListener("click", async () => {
      baseVersion = theirs.version;
      conflict.hidden = true;
      await save();
    });
    const reload = h("button", { type: "button" }, t("take_theirs"));
    reload.addEventListener("click", () => {
      dropDraft(article.id);
      conflict.hidden = true;
      article = theirs;
      baseVersion = theirs.version;
      fill(theirs, theirs.body);
      publish.show(article);
      saveState.textContent = t("saved_version", { version: theirs.version });
      say(t("reloaded"), "success");
    });
    replace(
      conflict,
      h("h2", {}, t("conflict_title")),
      h("p", {}, t("conflict_text", { version: theirs.version })),
      h("ul", {}, differences.length ? differences : h("li", {}, t("conflict_same"))),
      h("div", { class: "actions" }, keep, reload),
    );
    conflict.hidden = false;
    say(t("conflict_title"), "error");
    keep.focus();
  }

  const publish = createPublishPanel({
    save,
    current: () => article,
    refused(indices, fieldName) {
      const kept = body.blocks.filter((b) => b.type === "photo" || (b.text || "").trim());
      const keys = new Set(indices.map((i) => kept[i] && kept[i].key));
      const marked = body.blocks.map((b, i) => (keys.has(b.key) ? i : -1)).filter((i) => i >= 0);
      body.markErrors(marked, t("refused_block"));
      cover.toggleAttribute("aria-invalid", fieldName === "cover_photo_id");
    },
    updated(answer) {
      article = answer;
      baseVersion = answer.version;
      publish.show(answer);
      saveState.textContent = t("saved_version", { version: answer.version });
    },
  });

  files.addEventListener("change", () => {
    addImages(files.files);
    files.value = "";
  });
  saveButton.addEventListener("click", save);

  const addParagraph = h("button", { type: "button" }, t("add_paragraph"));
  addParagraph.addEventListener("click", () => body.add([newBlock("paragraph")]));
  const addHeading = h("button", { type: "button" }, t("add_heading"));
  addHeading.addEventListener("click", () => body.add([newBlock("heading")]));
  const fromLibrary = h("button", { type: "button" }, t("from_library"));
  fromLibrary.addEventListener("click", () =>
    openLibrary((photo) => {
      const block = newBlock("photo", { photo_id: photo.photo_id, photo });
      body.add([block], body.blocks.length - 1, false);
      body.showPhoto(block);
      refreshCover();
    }),
  );
  files.id = "add-photos";

  const drop = h(
    "section",
    { class: "panel body-panel", "aria-labelledby": "body-title" },
    h("h2", { id: "body-title" }, t("body")),
    body.element,
    h(
      "div",
      { class: "add-blocks" },
      addParagraph,
      addHeading,
      h("span", { class: "file-button" }, h("label", { for: files.id, class: "button" }, t("add_photos")), files),
      fromLibrary,
    ),
    h("p", { class: "hint" }, t("photos_hint")),
  );
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
    addImages(event.dataTransfer.files);
  });

  // An image pasted anywhere in the editor outside a paragraph becomes photo blocks after the focused block.
  function onPaste(event) {
    if (event.defaultPrevented || !event.clipboardData) return;
    const images = [...event.clipboardData.files].filter(isImage);
    if (!images.length) return;
    event.preventDefault();
    const li = document.activeElement && document.activeElement.closest && document.activeElement.closest(".block");
    const index = li ? body.blocks.findIndex((b) => b.key === li.dataset.key) : body.blocks.length - 1;
    addImages(images, index);
  }
  document.addEventListener("paste", onPaste);

  for (const control of [...Object.values(inputs), notice, cover]) {
    control.addEventListener("input", () => {
      control.removeAttribute("aria-invalid");
      changed();
    });
  }

  replace(
    main,
    h(
      "div",
      { class: "page-head" },
      h("h1", {}, articleId ? t("edit_article") : t("new_article")),
      h("a", { href: "#/articles", class: "back" }, t("back_to_list")),
    ),
    conflict,
    h(
      "fieldset",
      { class: "editor", disabled: true },
      h(
        "div",
        { class: "editor-main" },
        h(
          "section",
          { class: "panel" },
          field(t("title"), inputs.title),
          field(t("subtitle"), inputs.subtitle),
        ),
        drop,
      ),
      h(
        "aside",
        { class: "editor-side" },
        h(
          "section",
          { class: "panel save-panel" },
          h("div", { class: "actions" }, saveButton, saveState),
        ),
        publish.element,
        h(
          "section",
          { class: "panel", "aria-labelledby": "details-title" },
          h("h2", { id: "details-title" }, t("details")),
          field(t("category"), inputs.category),
          field(t("source"), inputs.source),
          field(t("author"), inputs.author),
          field(t("cover"), cover),
          h("div", { class: "field field-checkbox" }, notice, h("label", { for: (notice.id = "notice") }, t("notice"))),
        ),
      ),
    ),
  );

  function start(fields, blocks, restored) {
    if (fields) fill(fields, blocks);
    else body.set([newBlock("paragraph")]);
    if (restored) {
      saveState.textContent = t("unsaved");
      say(t("draft_restored"));
    }
    ready = true;
    main.querySelector("fieldset.editor").disabled = false;
    if (!articleId && !restored) inputs.title.focus();
  }

  async function open() {
    if (!articleId) {
      publish.show(null);
      if (draft) baseVersion = draft.base_version ?? null;
      start(draft && draft.fields, draft && draft.body, Boolean(draft));
    }
    loadCategories()
      .then((categories) => {
        if (!alive) return;
        for (const [value, text] of categoryOptions(categories, "").slice(1)) {
          inputs.category.append(h("option", { value }, text));
        }
        if (!inputs.category.value && inputs.category.dataset.wanted) inputs.category.value = inputs.category.dataset.wanted;
      })
      .catch(() => {});
    if (!articleId) return;
    try {
      article = await api("GET", `/articles/${encodeURIComponent(articleId)}`);
    } catch (error) {
      if (error.status === 404) {
        say(t("not_found"), "error");
        navigate("#/articles");
      } else if (error.status !== 401) say(error.message, "error");
      return;
    }
    if (!alive) return;
    baseVersion = article.version;
    publish.show(article);
    saveState.textContent = t("saved_version", { version: article.version });
    if (draft) {
      baseVersion = draft.base_version ?? baseVersion;
      start(draft.fields || {}, draft.body, true);
    } else {
      start(article, article.body, false);
    }
  }

  open();
  return () => {
    alive = false;
    uploader.stop();
    document.removeEventListener("paste", onPaste);
  };
}
