// The articles list: drafts, scheduled and published, newest first, filtered, searched by title, paginated,
// with views; rows can be selected for bulk actions (article_bulk.js) and deleted to the trash (trash.js).

import "./housekeeping_labels.js";
import { api } from "./api.js";
import { say, unsay } from "./app.js";
import { bulkBar } from "./article_bulk.js";
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

/** The categories for `use`; if they cannot be loaded, the editor is told why, and they are asked for again the
 * next time `control` (the control that lists them) is focused. */
export function withCategories(control, use, isAlive, failed = null) {
  return loadCategories()
    .then((categories) => {
      if (!isAlive()) return;
      use(categories);
      if (failed) unsay(failed); // said before this try: no longer so
    })
    .catch((error) => {
      if (!isAlive() || error.status === 401) return;
      const said = t("categories_not_loaded", { reason: error.message });
      if (failed) unsay(failed); // the last try's reason gives way to this one's
      say(said, "error");
      control.addEventListener("focus", () => withCategories(control, use, isAlive, said), { once: true });
    });
}

export function categoryOptions(categories, emptyText) {
  return [["", emptyText], ...categories.map((c) => [c.slug, c.parent ? `— ${c.name}` : c.name])];
}

export function articleState(article) {
  if (article.status === "published") return article.scheduled ? "scheduled" : "published";
  return article.status;
}

const STATUS_OPTIONS = [
  ["", "all"],
  ["draft", "status_draft"],
  ["scheduled", "status_scheduled"],
  ["published", "status_published"],
];

/** The filters: status, category and words of the title; `onChange()` after each change. */
function filterBar(filters, onChange) {
  const statusFilter = select(STATUS_OPTIONS.map(([value, key]) => [value, t(key)]), "");
  const categoryFilter = select([["", t("all")]], "");
  const search = h("input", { type: "search", name: "title", enterkeyhint: "search" });
  const form = h(
    "form",
    { class: "filters", role: "search" },
    field(t("filter_status"), statusFilter),
    field(t("filter_category"), categoryFilter),
    field(t("search_title"), search),
    h("button", { type: "submit" }, t("search_go")),
  );
  const changed = () => {
    Object.assign(filters, { status: statusFilter.value, category: categoryFilter.value, title: search.value.trim() });
    onChange();
  };
  statusFilter.addEventListener("change", changed);
  categoryFilter.addEventListener("change", changed);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    changed();
  });
  return { form, categoryFilter };
}

function dateCell(article, state) {
  return state === "draft" ? `${t("last_changed")} ${formatDateTime(article.updated_at)}` : formatDateTime(article.published_at);
}

/** One row: a checkbox for bulk actions, the article's facts and its 删除 button. */
function articleRow(article, names, selection, onDelete) {
  const state = articleState(article);
  const title = article.title || t("untitled");
  const box = h("input", { type: "checkbox", "aria-label": t("select_article", { title }), checked: selection.has(article.id) });
  box.addEventListener("change", () => selection.toggle(article.id, box.checked));
  const remove = h("button", { type: "button", class: "quiet danger", "aria-label": t("delete_article_named", { title }) }, t("delete_article"));
  remove.addEventListener("click", () => onDelete(article));
  return h(
    "tr",
    {},
    h("td", { class: "pick" }, box),
    h("td", { class: "title-cell" }, h("a", { href: `#/articles/${article.id}` }, title)),
    h("td", {}, h("span", { class: `badge badge-${state}` }, t(`status_${state}`))),
    h("td", {}, names[article.category] || article.category),
    h("td", { class: "nowrap" }, dateCell(article, state)),
    h("td", { class: "num" }, String(article.views ?? 0)),
    h("td", {}, state === "published" && article.url ? h("a", { href: article.url, target: "_blank", rel: "noopener" }, t("read")) : h("span", { class: "muted" }, "—")),
    h("td", {}, remove),
  );
}

function articleTable(rows, selection) {
  const all = h("input", { type: "checkbox", "aria-label": t("select_all") });
  all.addEventListener("change", () => selection.setAll(all.checked));
  const heads = [t("title"), t("state"), t("category"), t("date"), t("views"), t("reader_page"), t("actions")];
  return h(
    "table",
    { class: "articles" },
    h("caption", { class: "visually-hidden" }, t("nav_articles")),
    h("thead", {}, h("tr", {}, h("th", { scope: "col", class: "pick" }, all), heads.map((c) => h("th", { scope: "col" }, c)))),
    h("tbody", {}, rows),
  );
}

/** The ids checked on the page shown; `onChange(ids)` after each change. */
function createSelection(onChange) {
  const ids = new Set();
  let shown = [];
  return {
    has: (id) => ids.has(id),
    toggle(id, on) {
      if (on) ids.add(id);
      else ids.delete(id);
      onChange([...ids]);
    },
    setAll(on) {
      for (const id of shown) this.toggle(id, on);
      for (const box of document.querySelectorAll("table.articles tbody input[type=checkbox]")) box.checked = on;
    },
    show(articles) {
      shown = articles.map((a) => a.id);
      ids.clear();
      onChange([]);
    },
  };
}

function pagerButtons(pager, cursors, next, load) {
  const previous = h("button", { type: "button", disabled: cursors.length < 2 }, t("previous_page"));
  previous.addEventListener("click", () => load(cursors.slice(0, -1)));
  const nextButton = h("button", { type: "button", disabled: !next }, t("next_page"));
  nextButton.addEventListener("click", () => load([...cursors, next]));
  replace(pager, previous, h("span", { class: "muted" }, t("page_n", { n: cursors.length })), nextButton);
}

async function trashArticle(article, reload) {
  const title = article.title || t("untitled");
  if (!window.confirm(t("confirm_delete_article", { title }))) return;
  try {
    await api("DELETE", `/articles/${encodeURIComponent(article.id)}`);
    say(t("article_trashed_done", { title }), "success");
    reload();
  } catch (error) {
    if (error.status !== 401) say(error.message, "error");
  }
}

function listQuery(filters, cursor) {
  const params = new URLSearchParams();
  for (const name of ["status", "category", "title"]) if (filters[name]) params.set(name, filters[name]);
  if (cursor) params.set("cursor", cursor);
  return `/articles${params.size ? `?${params}` : ""}`;
}

export function showArticles(main) {
  const filters = { status: "", category: "", title: "" };
  const view = { cursors: [null], alive: true, names: {}, articles: [] };
  const table = h("div", { class: "table-wrap" });
  const pager = h("nav", { class: "pager", "aria-label": t("pages") });
  const bulk = bulkBar(() => view.articles, () => load(view.cursors));
  const selection = createSelection(bulk.select);
  const { form, categoryFilter } = filterBar(filters, () => load([null]));

  async function load(cursors) {
    view.cursors = cursors;
    const asked = (view.asked = (view.asked || 0) + 1); // an older answer arriving late is not shown
    replace(table, h("p", { class: "muted" }, t("loading")));
    let answer;
    try {
      answer = await api("GET", listQuery(filters, cursors[cursors.length - 1]));
    } catch (error) {
      if (view.alive && asked === view.asked && error.status !== 401) say(error.message, "error");
      replace(table);
      return;
    }
    if (!view.alive || asked !== view.asked) return;
    view.articles = answer.articles || [];
    selection.show(view.articles);
    const rows = view.articles.map((a) => articleRow(a, view.names, selection, (article) => trashArticle(article, () => load(view.cursors))));
    replace(table, rows.length ? articleTable(rows, selection) : h("p", { class: "empty" }, t("no_articles")));
    pagerButtons(pager, cursors, answer.next_cursor, load);
  }

  const head = h("div", { class: "page-head" }, h("h1", {}, t("nav_articles")), h("div", { class: "head-links" }, h("a", { href: "#/trash" }, t("trash")), h("a", { class: "button primary", href: "#/articles/new" }, t("new_article"))));
  replace(main, head, form, bulk.element, table, pager);
  let listed = false;
  const useCategories = (categories) => {
    view.names = Object.fromEntries(categories.map((c) => [c.slug, c.name]));
    for (const [value, text] of categoryOptions(categories, t("all")).slice(1)) categoryFilter.append(h("option", { value }, text));
    bulk.setCategories(categories);
    if (listed) load(view.cursors); // asked again after a failure: the rows name their categories now
  };
  withCategories(categoryFilter, useCategories, () => view.alive).finally(() => {
    listed = true;
    load([null]);
  });
  return () => {
    view.alive = false;
  };
}
