// The list and table blocks' editors, and the API's view of rich blocks (chalicelib/richtext/schema.py).
// A list: one marked-text line per item, Enter adds an item, Tab/Shift+Tab (or 缩进/取消缩进) nests one level.
// A table: a grid of marked-text cells, 首行为表头, rows and columns added and removed at the end.

import { h, replace } from "./dom.js";
import { t } from "./i18n.js";
import { editable } from "./richtext.js";

/** The API's view of a paragraph, quote, list or table block; null for other types. */
export function richData(block) {
  const inline = (x) => (x.marks && x.marks.length ? { text: x.text || "", marks: x.marks } : { text: x.text || "" });
  if (block.type === "paragraph" || block.type === "quote") return { type: block.type, ...inline(block) };
  if (block.type === "list") {
    const items = block.items.filter((i) => (i.text || "").trim()).map((i) => {
      const subs = (i.items || []).filter((s) => (s.text || "").trim()).map(inline);
      return subs.length ? { ...inline(i), items: subs } : inline(i);
    });
    return { type: "list", ordered: Boolean(block.ordered), items };
  }
  if (block.type === "table") return { type: "table", header: Boolean(block.header), rows: block.rows.map((row) => row.map(inline)) };
  return null;
}

export function emptyTable(rows = 3, columns = 3) {
  return { header: true, rows: Array.from({ length: rows }, () => Array.from({ length: columns }, () => ({ text: "" }))) };
}

/** The list editor; `changed()` after each edit. */
export function listEditor(block, changed) {
  const box = h("div", { class: "rich-list" });
  const flat = () => block.items.flatMap((i) => [{ level: 0, item: i }, ...(i.items || []).map((s) => ({ level: 1, item: s }))]);
  function rebuild(entries) {
    const items = [];
    for (const { level, item } of entries) {
      const copy = { text: item.text, ...(item.marks ? { marks: item.marks } : {}) };
      if (level && items.length) (items[items.length - 1].items ||= []).push(copy);
      else items.push(copy);
    }
    block.items = items.length ? items : [{ text: "" }];
  }
  function render(focusIndex) {
    const entries = flat();
    const rows = entries.map((entry, index) => {
      const area = editable(entry.item, `${t("rt_item")} ${index + 1}`, (inline) => {
        entry.item.text = inline.text;
        entry.item.marks = inline.marks || [];
        changed();
      });
      area.addEventListener("keydown", (event) => keys(event, entries, index));
      const indent = (by) => () => shift(entries, index, by);
      return h("li", { class: `rich-item level-${entry.level}` }, area,
        h("button", { type: "button", class: "tool", onclick: indent(1), disabled: entry.level === 1 || index === 0 }, t("rt_indent")),
        h("button", { type: "button", class: "tool", onclick: indent(-1), disabled: entry.level === 0 }, t("rt_outdent")));
    });
    const list = h(block.ordered ? "ol" : "ul", { class: "rich-items" }, rows);
    replace(box, list, h("button", { type: "button", onclick: () => insert(entries, entries.length - 1) }, t("rt_add_item")));
    if (focusIndex !== undefined) list.querySelectorAll(".rich-text")[focusIndex]?.focus();
  }
  function insert(entries, index) {
    entries.splice(index + 1, 0, { level: entries[index]?.level || 0, item: { text: "" } });
    rebuild(entries);
    changed();
    render(index + 1);
  }
  function shift(entries, index, by) {
    entries[index].level = Math.max(0, Math.min(1, entries[index].level + by));
    rebuild(entries);
    changed();
    render(index);
  }
  function keys(event, entries, index) {
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      insert(entries, index);
    } else if (event.key === "Tab" && (event.shiftKey ? entries[index].level === 1 : index > 0 && entries[index].level === 0)) {
      event.preventDefault();
      shift(entries, index, event.shiftKey ? -1 : 1);
    } else if (event.key === "Backspace" && !entries[index].item.text && entries.length > 1) {
      event.preventDefault();
      entries.splice(index, 1);
      rebuild(entries);
      changed();
      render(Math.max(0, index - 1));
    }
  }
  render();
  return box;
}

/** The table editor; `changed()` after each edit. */
export function tableEditor(block, changed) {
  const box = h("div", { class: "rich-table" });
  function render() {
    const header = h("input", { type: "checkbox", checked: Boolean(block.header) });
    header.addEventListener("change", () => {
      block.header = header.checked;
      changed();
      render();
    });
    const grid = h("table", {}, block.rows.map((row, r) => h("tr", {}, row.map((cell, c) => {
      const area = editable(cell, t("rt_cell", { r: r + 1, c: c + 1 }), (inline) => {
        row[c] = inline;
        changed();
      });
      return h(r === 0 && block.header ? "th" : "td", {}, area);
    }))));
    const resize = (rows, columns) => () => {
      const width = Math.max(1, block.rows[0].length + columns);
      const height = Math.max(1, block.rows.length + rows);
      block.rows = Array.from({ length: height }, (_, r) => Array.from({ length: width }, (_, c) => block.rows[r]?.[c] || { text: "" }));
      changed();
      render();
    };
    replace(box, h("label", { class: "inline" }, header, ` ${t("rt_header_row")}`), h("div", { class: "table-scroll" }, grid),
      h("div", { class: "rich-table-actions" },
        h("button", { type: "button", onclick: resize(1, 0) }, t("rt_add_row")),
        h("button", { type: "button", onclick: resize(0, 1) }, t("rt_add_column")),
        h("button", { type: "button", onclick: resize(-1, 0) }, t("rt_remove_row")),
        h("button", { type: "button", onclick: resize(0, -1) }, t("rt_remove_column"))));
  }
  render();
  return box;
}
