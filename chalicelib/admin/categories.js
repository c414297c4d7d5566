// Categories (admins): create, rename, nest one level, order, delete.

import { api } from "./api.js";
import { say } from "./app.js";
import { field, h, replace, select } from "./dom.js";
import { t } from "./i18n.js";
import { loadCategories } from "./articles.js";

export function showCategories(main) {
  const list = h("div", { class: "table-wrap" });
  let alive = true;

  function parentChoice(categories, slug, selected) {
    return select([["", t("top_level")], ...categories.filter((c) => !c.parent && c.slug !== slug).map((c) => [c.slug, c.name])], selected || "");
  }

  async function put(slug, name, parent, position) {
    return api("PUT", `/categories/${encodeURIComponent(slug)}`, { name, parent: parent || null, position: Number(position) || 0 });
  }

  function row(category, categories) {
    const name = h("input", { type: "text", value: category.name, "aria-label": `${t("category_name")} ${category.slug}` });
    const parent = parentChoice(categories, category.slug, category.parent);
    parent.setAttribute("aria-label", `${t("parent")} ${category.slug}`);
    const position = h("input", { type: "number", value: String(category.position ?? 0), class: "narrow", "aria-label": `${t("position")} ${category.slug}` });
    const saveButton = h("button", { type: "button" }, t("save"));
    saveButton.addEventListener("click", async () => {
      try {
        await put(category.slug, name.value, parent.value, position.value);
        say(t("category_saved", { name: name.value }), "success");
        load();
      } catch (error) {
        if (error.status !== 401) say(error.message, "error");
      }
    });
    const remove = h("button", { type: "button", class: "danger-outline" }, t("delete"));
    remove.addEventListener("click", async () => {
      if (!window.confirm(t("confirm_delete_category", { name: category.name }))) return;
      try {
        await api("DELETE", `/categories/${encodeURIComponent(category.slug)}`);
        say(t("category_deleted", { name: category.name }), "success");
        load();
      } catch (error) {
        if (error.status !== 401) say(error.status === 409 ? t("category_in_use") : error.message, "error");
      }
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

  async function load() {
    let categories;
    try {
      categories = await loadCategories();
    } catch (error) {
      if (error.status !== 401) say(error.message, "error");
      return;
    }
    if (!alive) return;
    replace(
      list,
      h(
        "table",
        { class: "categories" },
        h("thead", {}, h("tr", {}, [t("slug"), t("category_name"), t("parent"), t("position"), ""].map((c) => h("th", { scope: "col" }, c)))),
        h("tbody", {}, categories.map((c) => row(c, categories))),
      ),
    );
    replace(createParent, ...parentChoice(categories, "", createParent.value).children);
  }

  const slug = h("input", { type: "text", required: true, pattern: "[a-z0-9][a-z0-9-]*", autocomplete: "off" });
  const name = h("input", { type: "text", required: true });
  const createParent = select([["", t("top_level")]], "");
  const position = h("input", { type: "number", value: "0", class: "narrow" });
  const form = h(
    "form",
    { class: "panel inline-form", "aria-labelledby": "new-category" },
    h("h2", { id: "new-category" }, t("new_category")),
    field(t("slug"), slug, t("slug_hint")),
    field(t("category_name"), name),
    field(t("parent"), createParent),
    field(t("position"), position),
    h("button", { type: "submit", class: "primary" }, t("create")),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      await put(slug.value.trim(), name.value, createParent.value, position.value);
      say(t("category_saved", { name: name.value }), "success");
      form.reset();
      load();
    } catch (error) {
      if (error.status !== 401) say(error.message, "error");
    }
  });
  replace(main, h("div", { class: "page-head" }, h("h1", {}, t("nav_categories"))), list, form);
  load();
  return () => {
    alive = false;
  };
}
