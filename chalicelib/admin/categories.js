// Categories (admins): create, rename, nest one level, order, delete.

import { api, currentSession } from "./api.js";
import { say } from "./app.js";
import { field, h, replace, select } from "./dom.js";
import { t } from "./i18n.js";
import { loadCategories } from "./articles.js";
import { wordCode } from "./messages.js";

// 标识: valid under the `v` flag browsers compile `pattern` with (a "-" in a class is escaped there).
const SLUG_PATTERN = "[a-z0-9][a-z0-9\\-]{0,63}";

/** What an editor who is not an admin sees on an admin's screen. */
export function adminsOnly(main, title) {
  replace(main, h("div", { class: "page-head" }, h("h1", {}, title)), h("p", { class: "panel admins-only" }, t("admins_only")));
}

function parentChoice(categories, slug, selected) {
  return select([["", t("top_level")], ...categories.filter((c) => !c.parent && c.slug !== slug).map((c) => [c.slug, c.name])], selected || "");
}

/** Create (`creating`: an existing 标识 is refused, never overwritten) or change a category. */
async function put(slug, name, parent, position, creating = false) {
  const headers = creating ? { "If-None-Match": "*" } : {};
  return api("PUT", `/categories/${encodeURIComponent(slug)}`, { name, parent: parent || null, position: Number(position) || 0 }, headers);
}

/** Run an API call; on success say `done` and reload the list. */
async function act(call, done, reload) {
  try {
    await call();
    say(done, "success");
    reload();
  } catch (error) {
    if (error.status !== 401) say(error.message, "error");
  }
}

/** One category's row: its fields, 保存 and 删除 (asking first). */
function row(category, categories, reload) {
  const name = h("input", { type: "text", value: category.name, "aria-label": `${t("category_name")} ${category.slug}` });
  const parent = parentChoice(categories, category.slug, category.parent);
  parent.setAttribute("aria-label", `${t("parent")} ${category.slug}`);
  const position = h("input", { type: "number", value: String(category.position ?? 0), class: "narrow", "aria-label": `${t("position")} ${category.slug}` });
  const saveButton = h("button", { type: "button" }, t("save"));
  saveButton.addEventListener("click", () => act(() => put(category.slug, name.value, parent.value, position.value), t("category_saved", { name: name.value }), reload));
  const remove = h("button", { type: "button", class: "danger-outline" }, t("delete"));
  remove.addEventListener("click", () => {
    if (!window.confirm(t("confirm_delete_category", { name: category.name }))) return;
    act(() => api("DELETE", `/categories/${encodeURIComponent(category.slug)}`), t("category_deleted", { name: category.name }), reload);
  });
  return h(
    "tr",
    { class: category.parent ? "child" : "" },
    h("td", {}, h("code", {}, category.slug)),
    h("td", {}, name),
    h("td", {}, parent),
    h("td", {}, position),
    h("td", { class: "row-actions" }, saveButton, remove),
  );
}

/** 新建栏目: checked here first (a valid 标识, a name), then created only if its 标识 is new. */
function createForm(reload) {
  const slug = h("input", { type: "text", required: true, pattern: SLUG_PATTERN, autocomplete: "off" });
  const name = h("input", { type: "text", required: true });
  const createParent = select([["", t("top_level")]], "");
  const position = h("input", { type: "number", value: "0", class: "narrow" });
  const form = h(
    "form",
    { class: "panel inline-form", "aria-labelledby": "new-category", novalidate: true },
    h("h2", { id: "new-category" }, t("new_category")),
    field(t("slug"), slug, t("slug_hint")),
    field(t("category_name"), name),
    field(t("parent"), createParent),
    field(t("position"), position),
    h("button", { type: "submit", class: "primary" }, t("create")),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    slug.value = slug.value.trim();
    if (!slug.checkValidity() || !name.value.trim()) {
      const bad = slug.checkValidity() ? name : slug;
      bad.setAttribute("aria-invalid", "true");
      bad.focus();
      say(bad === slug ? wordCode("bad_slug") : wordCode("required", { field: "name" }), "error");
      return;
    }
    const created = t("category_saved", { name: name.value });
    await act(() => put(slug.value, name.value, createParent.value, position.value, true), created, () => {
      form.reset();
      reload();
    });
  });
  return { form, createParent };
}

export function showCategories(main) {
  if ((currentSession() || {}).role !== "admin") {
    adminsOnly(main, t("nav_categories"));
    return null;
  }
  const list = h("div", { class: "table-wrap" });
  let alive = true;
  const { form, createParent } = createForm(() => load());

  async function load() {
    let categories;
    try {
      categories = await loadCategories();
    } catch (error) {
      if (error.status !== 401) say(error.message, "error");
      return;
    }
    if (!alive) return;
    const heads = [t("slug"), t("category_name"), t("parent"), t("position"), ""].map((c) => h("th", { scope: "col" }, c));
    replace(list, h("table", { class: "categories" }, h("thead", {}, h("tr", {}, heads)), h("tbody", {}, categories.map((c) => row(c, categories, load)))));
    const chosen = createParent.value; // a new category is top-level unless the editor chose a parent
    replace(createParent, ...parentChoice(categories, "", "").children);
    createParent.value = [...createParent.options].some((o) => o.value === chosen) ? chosen : "";
  }

  replace(main, h("div", { class: "page-head" }, h("h1", {}, t("nav_categories"))), list, form);
  load();
  return () => {
    alive = false;
  };
}
