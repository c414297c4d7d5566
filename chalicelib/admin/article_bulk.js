// Bulk actions on the selected articles (POST /api/articles/bulk): 发布, 撤回 (asking first) and 移动栏目.
// The server checks each article as the single action would; each refusal is said in the editor's words.

import { api } from "./api.js";
import { say } from "./app.js";
import { field, h, replace, select } from "./dom.js";
import { t } from "./i18n.js";
import { refusalText } from "./messages.js";

/** What the bulk action did: one lasting error per refused article, and one line for the rest. */
function report(action, results, articles) {
  const titles = Object.fromEntries(articles.map((a) => [a.id, a.title || t("untitled")]));
  for (const failed of results.filter((r) => !r.ok)) {
    say(t("bulk_failed", { title: titles[failed.id] || failed.id, reason: refusalText(failed.status, failed) }), "error");
  }
  const done = results.filter((r) => r.ok).length; // said after the errors, which would clear it
  if (done) say(t(`bulk_done_${action}`, { n: done }), "success");
}

/**
 * The bar above the list: how many are selected and the actions on them. `articles()` gives the page's
 * articles (for titles); `reload()` shows the list again after an action.
 */
export function bulkBar(articles, reload) {
  let ids = [];
  const count = h("span", { class: "muted", "aria-live": "polite" }, t("selected_n", { n: 0 }));
  const target = select([["", t("bulk_move_to")]], "");
  const buttons = {
    publish: h("button", { type: "button" }, t("bulk_publish")),
    unpublish: h("button", { type: "button" }, t("bulk_unpublish")),
    move: h("button", { type: "button" }, t("bulk_move")),
  };

  async function run(action) {
    if (!ids.length) return;
    if (action === "unpublish" && !window.confirm(t("confirm_bulk_unpublish", { n: ids.length }))) return;
    if (action === "move" && !target.value) {
      say(t("bulk_choose_category"), "error");
      target.focus();
      return;
    }
    const body = { action, ids, ...(action === "move" ? { category: target.value } : {}) };
    for (const button of Object.values(buttons)) button.disabled = true;
    try {
      const answer = await api("POST", "/articles/bulk", body);
      report(action, answer.results || [], articles());
      reload();
    } catch (error) {
      if (error.status !== 401) say(error.message, "error");
      choose(ids);
    }
  }

  function choose(chosen) {
    ids = chosen;
    count.textContent = t("selected_n", { n: ids.length });
    for (const button of Object.values(buttons)) button.disabled = !ids.length;
  }

  for (const [action, button] of Object.entries(buttons)) button.addEventListener("click", () => run(action));
  const element = h("div", { class: "bulk-bar", role: "group", "aria-label": t("actions") }, count, buttons.publish, buttons.unpublish, field(t("bulk_move_to"), target), buttons.move);
  choose([]);
  return {
    element,
    select: choose,
    setCategories(categories) {
      replace(target, h("option", { value: "" }, t("bulk_move_to")), categories.map((c) => h("option", { value: c.slug }, c.parent ? `— ${c.name}` : c.name)));
    },
  };
}
