// The trash (#/trash): deleted articles for 30 days; admins restore them (as drafts) or delete them for good.

import "./housekeeping_labels.js";
import { api, currentSession } from "./api.js";
import { say } from "./app.js";
import { h, replace } from "./dom.js";
import { formatDateTime, t } from "./i18n.js";

async function act(method, path, done) {
  try {
    await api(method, path);
    done();
  } catch (error) {
    if (error.status !== 401) say(error.message, "error");
  }
}

/** 恢复 and 彻底删除 for an admin; nothing for others (the hint above the table says so). */
function actions(article, isAdmin, reload) {
  if (!isAdmin) return h("span", { class: "muted" }, "—");
  const title = article.title || t("untitled");
  const path = `/trash/${encodeURIComponent(article.id)}`;
  const restore = h("button", { type: "button", "aria-label": t("untrash_named", { title }) }, t("untrash"));
  restore.addEventListener("click", () =>
    act("POST", `${path}/restore`, () => {
      say(t("untrashed", { title }), "success");
      reload();
    }),
  );
  const purge = h("button", { type: "button", class: "quiet danger", "aria-label": t("purge_named", { title }) }, t("purge"));
  purge.addEventListener("click", () => {
    if (!window.confirm(t("confirm_purge", { title }))) return;
    act("DELETE", path, () => {
      say(t("purged", { title }), "success");
      reload();
    });
  });
  return h("span", { class: "row-actions" }, restore, purge);
}

function trashTable(articles, isAdmin, reload) {
  const heads = [t("title"), t("category"), t("trashed_at"), t("purge_at"), t("actions")];
  const rows = articles.map((a) =>
    h(
      "tr",
      {},
      h("td", { class: "title-cell" }, a.title || t("untitled")),
      h("td", {}, a.category),
      h("td", { class: "nowrap" }, formatDateTime(a.trashed_at)),
      h("td", { class: "nowrap" }, formatDateTime(a.purge_at)),
      h("td", {}, actions(a, isAdmin, reload)),
    ),
  );
  return h(
    "table",
    { class: "articles trash" },
    h("caption", { class: "visually-hidden" }, t("trash")),
    h("thead", {}, h("tr", {}, heads.map((c) => h("th", { scope: "col" }, c)))),
    h("tbody", {}, rows),
  );
}

export function showTrash(main) {
  const isAdmin = (currentSession() || {}).role === "admin";
  const table = h("div", { class: "table-wrap" });
  const more = h("button", { type: "button", hidden: true }, t("next_page"));
  let alive = true;

  async function load(cursor) {
    try {
      const answer = await api("GET", `/trash${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ""}`);
      if (!alive) return;
      const articles = answer.articles || [];
      replace(table, articles.length ? trashTable(articles, isAdmin, () => load(null)) : h("p", { class: "empty" }, t("trash_empty")));
      more.hidden = !answer.next_cursor;
      more.onclick = () => load(answer.next_cursor);
    } catch (error) {
      if (alive && error.status !== 401) say(error.message, "error");
    }
  }

  const hints = [h("p", { class: "hint" }, t("trash_hint")), isAdmin ? null : h("p", { class: "hint" }, t("trash_admin_only"))];
  replace(main, h("div", { class: "page-head" }, h("h1", {}, t("trash")), h("a", { href: "#/articles" }, t("back_to_list"))), hints, table, more);
  load(null);
  return () => {
    alive = false;
  };
}
