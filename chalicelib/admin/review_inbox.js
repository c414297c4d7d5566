// 待我审核: everything waiting for a reviewer, across categories, with batch approve.

import { api } from "./api.js";
import { say } from "./app.js";
import { loadCategories } from "./articles.js";
import { h, replace } from "./dom.js";
import { formatDateTime, t } from "./i18n.js";

export function showInbox(main) {
  const list = h("tbody");
  const approveSelected = h("button", { type: "button", class: "primary" }, t("approve_selected"));
  const table = h(
    "table",
    { class: "inbox" },
    h("thead", {}, h("tr", {}, ["", t("title"), t("category"), t("review_level"), t("submitted_by"), t("submitted_at")].map((c) => h("th", { scope: "col" }, c)))),
    list,
  );
  async function load() {
    const [{ articles }, categories] = await Promise.all([api("GET", "/reviews"), loadCategories().catch(() => [])]);
    const names = Object.fromEntries(categories.map((c) => [c.slug, c.name])); // the slug if they cannot load
    replace(
      list,
      articles.map((a) =>
        h(
          "tr",
          {},
          h("td", {}, h("input", { type: "checkbox", value: a.id, "aria-label": a.title })),
          h("td", {}, h("a", { href: `#/articles/${a.id}` }, a.title)),
          h("td", {}, names[a.category] || a.category),
          h("td", {}, a.passed_by ? t("level_after", { level: a.level, name: a.passed_by }) : t("missing_level", { level: a.level })),
          h("td", {}, a.submitted_by),
          h("td", {}, formatDateTime(a.submitted_at)),
        ),
      ),
    );
    if (!articles.length) list.append(h("tr", {}, h("td", { colspan: 6, class: "muted" }, t("inbox_empty"))));
  }
  approveSelected.addEventListener("click", async () => {
    const ids = [...list.querySelectorAll("input:checked")].map((box) => box.value);
    if (!ids.length) return;
    try {
      const { results } = await api("POST", "/reviews/approve", { articles: ids });
      const failed = results.filter((r) => !r.ok).length;
      say(t("batch_approved", { ok: results.length - failed, failed }), failed ? "error" : "success");
      await load();
    } catch (error) {
      if (error.status !== 401) say(error.message, "error");
    }
  });
  replace(main, h("div", { class: "page-head" }, h("h1", {}, t("inbox"))), table, h("div", { class: "actions" }, approveSelected));
  load().catch((error) => error.status !== 401 && say(error.message, "error"));
}
