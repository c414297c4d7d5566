// The editor's review and history panel: the review record, 提交审核 / 通过 / 退回, 历史版本 with the diff
// against the article as saved, and 恢复此版本 (a new revision; on a published article a draft of changes).

import { api, currentSession } from "./api.js";
import { say } from "./app.js";
import { field, h, replace } from "./dom.js";
import { formatDateTime, t } from "./i18n.js";
import { showDiff } from "./revisions_view.js";

/** What the server's review refusal says, in the app's words. */
export function reviewMessage(error) {
  const code = error.body && error.body.code;
  if (code === "review_required") {
    const level = /level (\d)/.exec(error.body.missing || "");
    return t("review_required", { missing: t("missing_level", { level: level ? level[1] : "1" }) });
  }
  if (code === "words_blocked") return t("words_blocked", { words: (error.body.words || []).join(t("list_separator")) });
  if (code === "publish_forbidden") return t("publish_forbidden");
  if (code === "review_comment_required" || error.field === "comment") return t("comment_required");
  if (code === "review_same_reviewer") return t("same_reviewer");
  if (code === "review_not_required") return t("review_not_required");
  if (code === "review_required_live") return t("review_required_live");
  if (code === "contributor_published") return t("contributor_published");
  return null;
}

function stateText(review, article) {
  const state = (review && review.state) || "draft";
  if (state === "submitted") return t("review_state_submitted", { level: (review.approvals || []).length + 1 });
  if (state === "approved" && !review.approval_current) return t("review_state_stale");
  return t(`review_state_${state}`);
}

function stepItem(step) {
  const parts = [formatDateTime(step.at), " ", step.by, " · ", t(`step_${step.action}`)];
  if (step.level) parts.push(` (${t("missing_level", { level: step.level })})`);
  const item = h("li", { class: `review-step step-${step.action}` }, parts);
  if (step.comment) item.append(h("q", { class: "review-comment" }, step.comment));
  return item;
}

/** `save()` resolves to the saved article (or null); `current()` is it; `updated(article)` takes an answer;
 * `fill(fields, body)` puts a revision's text into the editor. */
export function createWorkflowPanel({ save, current, updated, fill }) {
  const role = (currentSession() || {}).role;
  const reviews = role === "reviewer" || role === "admin";
  const state = h("p", { class: "review-state" });
  const steps = h("ol", { class: "review-steps" });
  const comment = h("textarea", { name: "review_comment", rows: 2 });
  const submit = h("button", { type: "button" }, t("submit_review"));
  const approve = h("button", { type: "button", class: "primary", hidden: !reviews }, t("approve"));
  const giveBack = h("button", { type: "button", class: "danger-outline", hidden: !reviews }, t("return_article"));
  const pending = h("div", { class: "pending-revision", hidden: true });
  const history = h("div", { class: "history", id: "revision-history", hidden: true });
  const historyButton = h("button", { type: "button", "aria-expanded": "false", "aria-controls": history.id }, t("history"));

  async function act(path, body, done) {
    try {
      const answer = await api("POST", path, body);
      updated(answer);
      comment.value = "";
      say(done, "success");
    } catch (error) {
      if (error.status !== 401) say(reviewMessage(error) || error.message, "error");
    }
  }
  submit.addEventListener("click", async () => {
    const article = await save();
    if (article) await act(`/articles/${encodeURIComponent(article.id)}/submit`, { comment: comment.value || null }, t("submitted"));
  });
  for (const [button, decision, done] of [[approve, "approve", t("approved")], [giveBack, "return", t("returned")]]) {
    button.addEventListener("click", () => {
      const article = current();
      if (!article) return;
      const body = { decision, comment: comment.value.trim() || null };
      act(`/articles/${encodeURIComponent(article.id)}/review`, body, done);
    });
  }
  const hits = h("div", { class: "word-hits", role: "note" });
  historyButton.addEventListener("click", () => {
    toggleHistory(history, { current, updated, fill });
    historyButton.setAttribute("aria-expanded", String(!history.hidden));
  });

  const element = h(
    "section",
    { class: "panel review", "aria-labelledby": "review-title" },
    h("h2", { id: "review-title" }, t("review")),
    state,
    steps,
    hits,
    field(t("review_comment"), comment),
    h("div", { class: "actions" }, submit, approve, giveBack),
    pending,
    h("div", { class: "actions" }, historyButton),
    history,
  );
  return {
    element,
    show(article) {
      const review = article && article.review;
      replace(state, article ? stateText(review, article) : t("review_state_draft"));
      replace(steps, ((review && review.steps) || []).map(stepItem));
      submit.disabled = approve.disabled = giveBack.disabled = historyButton.disabled = !article;
      showPending(pending, article, fill);
      showHits(hits, article);
      if (!history.hidden && article) loadHistory(history, { current, updated, fill });
    },
  };
}

function showPending(pending, article, fill) {
  pending.hidden = !(article && article.pending_revision);
  if (pending.hidden) return;
  const load = h("button", { type: "button" }, t("load_pending"));
  load.addEventListener("click", async () => {
    const revision = await api("GET", `/articles/${encodeURIComponent(article.id)}/revisions/${article.pending_revision}`);
    fill(revision, revision.body);
    say(t("pending_loaded"));
  });
  replace(pending, h("p", {}, t("pending_notice")), load);
}

function showHits(holder, article) {
  const found = (article && article.word_hits) || [];
  if (!article || !("word_hits" in article)) return; // only a save's answer says; keep what it said
  replace(
    holder,
    found.length ? h("p", {}, t("word_hits")) : "",
    found.length ? h("ul", {}, found.map((hit) => h("li", { class: `hit-${hit.mode}` }, `${hit.word}（${hit.tag || hit.list}，${t(`mode_${hit.mode}`)}）`))) : "",
  );
}

function toggleHistory(history, editor) {
  history.hidden = !history.hidden;
  if (!history.hidden) loadHistory(history, editor);
}

async function loadHistory(history, { current, updated, fill }) {
  const article = current();
  if (!article) return;
  const path = `/articles/${encodeURIComponent(article.id)}/revisions`;
  const { revisions } = await api("GET", path);
  const rows = revisions.map((revision) => {
    const diff = h("button", { type: "button", class: "quiet" }, t("show_diff"));
    const restore = h("button", { type: "button" }, t("restore"));
    const shown = h("div", { class: "diff-holder" });
    diff.addEventListener("click", async () => showDiff(shown, await api("GET", `${path}/${revision.id}/diff`)));
    restore.addEventListener("click", async () => {
      try {
        const answer = await api("POST", `${path}/${revision.id}/restore`);
        updated(answer);
        if (!answer.pending_revision) fill(answer, answer.body);
        say(answer.pending_revision ? t("restored_pending") : t("restored"), "success");
      } catch (error) {
        if (error.status !== 401) say(error.message, "error");
      }
    });
    const what = `${formatDateTime(revision.at)} · ${revision.by} · ${t(`reason_${revision.reason}`)}`;
    return h("li", { class: "revision" }, h("span", {}, what), " ", diff, " ", restore, shown);
  });
  replace(history, h("h3", {}, t("history")), h("ol", { class: "revisions" }, rows));
}
