// Saving the article with the version it is based on, and the 409 panel when someone saved in between.

import { api } from "./api.js";
import { say } from "./app.js";
import { h, replace } from "./dom.js";
import { t } from "./i18n.js";
import { blockData } from "./blocks.js";
import { dropDraft } from "./drafts.js";
import { FIELDS } from "./editor_form.js";
import { reviewMessage } from "./workflow_panel.js";

/** The blocks a save sends: photos, lists, tables, attachments, videos, and text blocks with text. */
export function keptBlocks(blocks) {
  return blocks.filter((b) => ["photo", "list", "table", "attachment", "video"].includes(b.type) || (b.text || "").trim());
}

/**
 * Saving for the editor `ed` ({article, baseVersion, articleId, form, body, photos, conflict,
 * saveButton, saveState, publish, alive, fill(fields, blocks)}): returns {save, saved}.
 */
export function createSaving(ed) {
  let saving = null;

  function saved(answer) {
    const wasNew = !ed.article;
    dropDraft(ed.article ? ed.article.id : ed.articleId);
    ed.article = answer;
    ed.baseVersion = answer.version;
    ed.publish.show(answer);
    ed.saveState.textContent = t("saved_version", { version: answer.version });
    ed.discardButton.hidden = true;
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

  /** Why the article cannot be sent yet, or null. */
  function notReady(fields) {
    const photos = ed.photos.photoBlocks();
    if (photos.some((b) => !b.photo_id && b.job && b.job.state !== "failed")) return t("wait_uploads");
    if (photos.some((b) => !b.photo_id)) return t("remove_failed");
    if (!fields.title.trim()) return ed.form.invalid("title", t("title_required"));
    if (!fields.category) return ed.form.invalid("category", t("category_required"));
    return null;
  }

  async function doSave() {
    const fields = ed.form.gather();
    const problem = notReady(fields);
    if (problem) {
      say(problem, "error");
      return null;
    }
    const kept = keptBlocks(ed.body.blocks);
    const data = { ...fields, body: kept.map(blockData) };
    ed.saveButton.disabled = true;
    ed.saveState.textContent = t("saving");
    try {
      const answer = ed.article
        ? await api("PUT", `/articles/${encodeURIComponent(ed.article.id)}`, { ...data, version: ed.baseVersion })
        : await api("POST", "/articles", data);
      if (!ed.alive) return answer;
      ed.conflict.hidden = true;
      if (kept.length !== ed.body.blocks.length) ed.body.set(kept);
      saved(answer);
      say(t("saved"), "success");
      return answer;
    } catch (error) {
      await refusedSave(error);
      return null;
    } finally {
      ed.saveButton.disabled = false;
    }
  }

  async function refusedSave(error) {
    ed.saveState.textContent = t("unsaved");
    if (error.status === 401) return;
    if (error.status === 409 && error.body.current_version) {
      await showConflict(ed, save);
      return;
    }
    if (error.status === 0) {
      say(t("network_kept"), "error");
      return;
    }
    const name = (error.field || "").split(/[.[]/)[0];
    if (ed.form.inputs[name]) ed.form.inputs[name].focus();
    say(reviewMessage(error) || error.message || t("failed"), "error");
  }

  return { save, saved };
}

function differencesFrom(ed, theirs) {
  const mine = ed.form.gather();
  const differences = [];
  for (const name of [...FIELDS, "notice", "cover_photo_id"]) {
    if ((mine[name] || null) !== (theirs[name] || null)) {
      differences.push(h("li", {}, `${t(name)}: `, h("q", {}, String(theirs[name] ?? "—"))));
    }
  }
  const myBody = JSON.stringify(ed.body.blocks.map(blockData));
  if (myBody !== JSON.stringify(theirs.body || [])) {
    differences.push(h("li", {}, t("body_differs", { n: (theirs.body || []).length })));
  }
  return differences;
}

/** Someone saved in between: say what changed, and let the editor keep theirs or take the other. */
async function showConflict(ed, save) {
  let theirs;
  try {
    theirs = await api("GET", `/articles/${encodeURIComponent(ed.article.id)}`);
  } catch {
    say(t("failed"), "error");
    return;
  }
  const differences = differencesFrom(ed, theirs);
  const keep = h("button", { type: "button", class: "primary" }, t("keep_mine"));
  keep.addEventListener("click", async () => {
    ed.baseVersion = theirs.version;
    ed.conflict.hidden = true;
    await save();
  });
  const reload = h("button", { type: "button" }, t("take_theirs"));
  reload.addEventListener("click", () => {
    dropDraft(ed.article.id);
    ed.conflict.hidden = true;
    ed.article = theirs;
    ed.baseVersion = theirs.version;
    ed.fill(theirs, theirs.body);
    ed.publish.show(theirs);
    ed.saveState.textContent = t("saved_version", { version: theirs.version });
    say(t("reloaded"), "success");
  });
  replace(
    ed.conflict,
    h("h2", {}, t("conflict_title")),
    h("p", {}, t("conflict_text", { version: theirs.version })),
    h("ul", {}, differences.length ? differences : h("li", {}, t("conflict_same"))),
    h("div", { class: "actions" }, keep, reload),
  );
  ed.conflict.hidden = false;
  say(t("conflict_title"), "error");
  keep.focus();
}
