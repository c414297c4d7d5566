// The article's fields beside the body: title, subtitle, category, source, author, cover and notice.

import { field, h, replace, select } from "./dom.js";
import { t } from "./i18n.js";
import { createFlags } from "./flags.js";

export const FIELDS = ["title", "subtitle", "category", "source", "author"];

function categoryChoice() {
  const choice = select([["", t("choose_category")]], "");
  choice.name = "category";
  choice.required = true;
  return choice;
}

/** Until the category list arrives, the article's own category is a choice of its own (named by its slug), so
 * that saving before the list comes keeps it rather than asking for a category. */
function keepCategory(choice) {
  const wanted = choice.dataset.wanted;
  if (!wanted || choice.value === wanted) return;
  const held = choice.querySelector("option[data-held]") || h("option", { "data-held": "" });
  held.value = wanted;
  held.textContent = wanted;
  choice.append(held);
  choice.value = wanted;
}

/** The list's categories as choices, in place of the held one; the article's own chosen if the list has it. */
function addCategoryChoices(choice, options) {
  const held = choice.querySelector("option[data-held]");
  const chosen = choice.value;
  if (held) held.remove();
  for (const [value, text] of options) choice.append(h("option", { value }, text));
  const wanted = chosen || choice.dataset.wanted;
  if (wanted && options.some(([value]) => value === wanted)) choice.value = wanted;
}

/** The form's controls, with `gather()`, `fill(fields)` and `refreshCover(photoBlocks)`. */
export function createForm() {
  const inputs = {
    title: h("input", { type: "text", name: "title", required: true, class: "title-input" }),
    subtitle: h("input", { type: "text", name: "subtitle" }),
    category: categoryChoice(),
    source: h("input", { type: "text", name: "source" }),
    author: h("input", { type: "text", name: "author" }),
  };
  const notice = h("input", { type: "checkbox", name: "notice" });
  const cover = select([["", t("no_cover")]], "");
  cover.name = "cover_photo_id";
  const flags = createFlags();

  function gather() {
    const fields = {};
    for (const name of FIELDS) fields[name] = inputs[name].value.trim() ? inputs[name].value : null;
    fields.title = inputs.title.value;
    fields.notice = notice.checked;
    fields.cover_photo_id = cover.value || null;
    return Object.assign(fields, flags.gather());
  }

  function fill(fields) {
    for (const name of FIELDS) inputs[name].value = fields[name] || "";
    inputs.category.dataset.wanted = fields.category || "";
    keepCategory(inputs.category);
    notice.checked = Boolean(fields.notice);
    cover.dataset.wanted = fields.cover_photo_id || "";
    cover.value = "";
    flags.fill(fields);
  }

  /** The cover choices: the article's photos in order, keeping the chosen one (or the one wanted). */
  function refreshCover(photoBlocks) {
    const chosen = cover.value || cover.dataset.wanted || "";
    const options = [["", t("no_cover")]];
    photoBlocks.forEach((b, i) => {
      if (b.photo_id) options.push([b.photo_id, `${i + 1}. ${b.caption || (b.photo && b.photo.filename) || b.photo_id}`]);
    });
    replace(cover, options.map(([value, text]) => h("option", { value }, text)));
    cover.value = options.some(([value]) => value === chosen) ? chosen : "";
    if (chosen && cover.value !== chosen) cover.dataset.wanted = chosen;
    else delete cover.dataset.wanted;
  }

  function invalid(name, message) {
    inputs[name].setAttribute("aria-invalid", "true");
    inputs[name].focus();
    return message;
  }

  function details() {
    return h(
      "section",
      { class: "panel", "aria-labelledby": "details-title" },
      h("h2", { id: "details-title" }, t("details")),
      field(t("category"), inputs.category),
      field(t("source"), inputs.source),
      field(t("author"), inputs.author),
      field(t("cover"), cover),
      h("div", { class: "field field-checkbox" }, notice, h("label", { for: (notice.id = "notice") }, t("notice"))),
      flags.element,
    );
  }

  const controls = [...Object.values(inputs), notice, cover, ...flags.controls];
  const addCategories = (options) => addCategoryChoices(inputs.category, options);
  return { inputs, notice, cover, controls, gather, fill, refreshCover, addCategories, invalid, details };
}
