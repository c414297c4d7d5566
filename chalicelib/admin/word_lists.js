// 敏感词 (admins): word lists, each tagged and set to warn or block; the advertising-law example to start from.

import { api } from "./api.js";
import { say } from "./app.js";
import { field, h, replace, select } from "./dom.js";
import { t } from "./i18n.js";

function editForm(list, onSaved) {
  const id = h("input", { name: "list_id", value: list.id || "", pattern: "[a-z0-9][a-z0-9-]*", required: true });
  const name = h("input", { name: "list_name", value: list.name || "" });
  const tag = h("input", { name: "list_tag", value: list.tag || "" });
  const mode = select([["warn", t("mode_warn")], ["block", t("mode_block")]], list.mode || "warn");
  const words = h("textarea", { name: "words", rows: 8, value: (list.words || []).join("\n") });
  const save = h("button", { type: "submit", class: "primary" }, t("save"));
  const form = h("form", { class: "word-list card" }, field(t("list_id"), id, t("list_id_hint")), field(t("list_name"), name), field(t("list_tag"), tag), field(t("list_mode"), mode), field(t("words_one_a_line"), words), save);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = { name: name.value.trim(), tag: tag.value.trim(), mode: mode.value, words: words.value.split("\n").map((w) => w.trim()).filter(Boolean) };
    try {
      await api("PUT", `/word-lists/${encodeURIComponent(id.value.trim())}`, body);
      say(t("saved"), "success");
      onSaved();
    } catch (error) {
      if (error.status !== 401) say(error.message, "error");
    }
  });
  return form;
}

export function showWordLists(main) {
  const lists = h("ul", { class: "word-lists" });
  const editor = h("div");
  async function load() {
    const answer = await api("GET", "/word-lists");
    const example = h("button", { type: "button" }, t("load_example"));
    example.addEventListener("click", () => replace(editor, editForm({ id: "ad-law", ...answer.example }, load)));
    const add = h("button", { type: "button" }, t("new_word_list"));
    add.addEventListener("click", () => replace(editor, editForm({}, load)));
    replace(
      lists,
      answer.lists.map((list) => {
        const edit = h("button", { type: "button", class: "quiet" }, t("edit"));
        edit.addEventListener("click", () => replace(editor, editForm(list, load)));
        const remove = h("button", { type: "button", class: "danger-outline" }, t("delete"));
        remove.addEventListener("click", async () => {
          await api("DELETE", `/word-lists/${encodeURIComponent(list.id)}`);
          load();
        });
        const text = `${list.name}（${list.tag || "—"}，${t(`mode_${list.mode}`)}，${list.words.length}）`;
        return h("li", {}, text, " ", edit, " ", remove);
      }),
      h("li", {}, add, " ", example),
    );
  }
  replace(main, h("div", { class: "page-head" }, h("h1", {}, t("words"))), lists, editor);
  load().catch((error) => error.status !== 401 && say(error.message, "error"));
}
