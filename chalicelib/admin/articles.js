// The articles list: drafts, scheduled and published, newest first, filtered, paginated, with views.

import { api } from "./api.js";
import { say } from "./app.js";
import { field, h, replace, select } from "./dom.js";
import { formatDateTime, t } from "./i18n.js";

export async function loadCategories() {
  const answer = await api("GET", "/categories");
  const categories = answer.categories || [];
  const top = categories.filter((c) => !c.parent).sort((a, b) => a.position - b.position);
  const ordered = [];
  for (const parent of top) {
    ordered.push(parent);
    ordered.push(...categories.filter((c) => c.parent === parent.slug).sort((a, b) => a.position - b.position));
  }
  ordered.push(...categories.filter((c) => c.parent && !top.some((p) => p.slug === c.parent)));
  return ordered;
}

export function categoryOptions(categories, emptyText) {
  return [["", emptyText], ...categories.map((c) => [c.slug, c.parent ? `— ${c.name}` : c.name])];
}

export function articleState(article) {
  if (article.status === "published") return article.scheduled ? "scheduled" : "published";
  return article.status;
}

export function showArticles(main) {
  const filters = { status: "", category: "" };
  let cursors = [null]; // the cursor of each page shown so far
  let alive = true;
  const statusFilter = select(
    [
      ["", t("all")],
      ["draft", t("status_draft")],
      ["scheduled", t("status_scheduled")],
      ["published", t("status_published")],
    ],
    "",
  );
  const categoryFilter = select([["", t("all")]], "");
  const table = h("div", { class: "table-wrap" });
  const pager = h("nav", { class: "pager", "aria-label": t("pages") });
  let names = {};

  async function load() {
    const params = new URLSearchParams();
    if (filters.status) params.set("status", filters.status);
    if (filters.category) params.set("category", filters.category);
    const cursor = cursors[cursors.length - 1];
    if (cursor) params.set("cursor", cursor);
    replace(table, h("p", { class: "muted" }, t("loading")));
    let answer;
    try {
      answer = await api("GET", `/articles${params.size ? `?${params}` : ""}`);
    } catch (error) {
      if (alive && error.status !== 401) say(error.message, "error");
      replace(table);
      return;
    }
    if (!alive) return;
    renderTable(answer.articles || []);
    renderPager(answer.next_cursor);
  }

  function renderTable(articles) {
    if (!articles.length) {
      replace(table, h("p", { class: "empty" }, t("no_articles")));
      return;
    }
    const rows = articles.map((a) => {
      const state = articleState(a);
      return h(
        "tr",
        {},
        h("td", { class: "title-cell" }, h("a", { href: `#/articles/${a.id}` }, a.title || t("untitled"))),
        h("td", {}, h("span", { class: `badge badge-${state}` }, t(`status_${state}`))),
        h("td", {}, names[a.category] || a.category),
        h("td", { class: "nowrap" }, state === "draft" ? `${t("last_changed")} ${formatDateTime(a.updated_at)}` : formatDateTime(a.published_at)),
        h("td", { class: "num" }, String(a.views ?? 0)),
        h(
          "td",
          {},
          state === "published" && a.url
            ? h("a", { href: a.url, target: "_blank", rel: "noopener" }, t("read"))
            : h("span", { class: "muted" }, "—"),
        ),
      );
    });
    replace(
      table,
      h(
        "table",
        { class: "articles" },
        h("caption", { class: "visually-hidden" }, t("nav_articles")),
        h(
          "thead",
          {},
          h(
            "tr",
            {},
            [t("title"), t("state"), t("category"), t("date"), t("views"), t("reader_page")].map((c) =>
              h("th", { scope: "col" }, c),
            ),
          ),
        ),
        h("tbody", {}, rows),
      ),
    );
  }

  function renderPager(next) {
    const previous = h("button", { type: "button", disabled: cursors.length < 2 }, t("previous_page"));
    previous.addEventListener("click", () => {
      cursors = cursors.slice(0, -1);
      load();
    });
    const nextButton = h("button", { type: "button", disabled: !next }, t("next_page"));
    nextButton.addEventListener("click", () => {
      cursors = [...cursors, next];
      load();
    });
    replace(pager, previous, h("span", { class: "muted" }, t("page_n", { n: cursors.length })), nextButton);
  }

  for (const [control, name] of [
    [statusFilter, "status"],
    [categoryFilter, "category"],
  ]) {
    control.addEventListener("change", () => {
      filters[name] = control.value;
      cursors = [null];
      load();
    });
  }

  replace(
    main,
    h(
      "div",
      { class: "page-head" },
      h("h1", {}, t("nav_articles")),
      h("a", { class: "button primary", href: "#/articles/new" }, t("new_article")),
    ),
    h("div", { class: "filters" }, field(t("filter_status"), statusFilter), field(t("filter_category"), categoryFilter)),
    table,
    pager,
  );
  loadCategories()
    .then((categories) => {
      if (!alive) return;
      names = Object.fromEntries(categories.map((c) => [c.slug, c.name]));
      for (const [value, text] of categoryOptions(categories, t("all")).slice(1)) {
        categoryFilter.append(h("option", { value }, text));
      }
    })
    .catch(() => {})
    .finally(load);
  return () => {
    alive = false;
  };
}
