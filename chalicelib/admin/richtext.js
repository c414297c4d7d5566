// Rich text in the body editor: marked text (bold, italic, underline, links) in paragraphs, quotes, list items
// and table cells, a toolbar (加粗, 斜体, 链接, 列表, 编号列表, 表格, 引用; Ctrl+B, Ctrl+I, Ctrl+U, Ctrl+K),
// and pasted HTML converted by the server (POST /api/convert/html). Text is shown through DOM nodes, never
// innerHTML, and read back as {text, marks} with offsets in code points (chalicelib/richtext/schema.py).

import { api } from "./api.js";
import { say } from "./app.js";
import { h, replace, uid } from "./dom.js";
import { t } from "./i18n.js";


const LINK = /^(https?:\/\/[^\s/]+|mailto:[^\s]+@[^\s]+)/i;
const STYLES = [["bold", "STRONG", "B"], ["italic", "EM", "I"], ["underline", "U", "INS"]];
const length = (text) => Array.from(text).length;

/** Marked text as DOM nodes in `target`: links outermost, then strong/em/u, "\n" as <br>. */
export function showInline(target, inline) {
  const chars = Array.from(inline.text || "");
  const marks = inline.marks || [];
  const cuts = [...new Set([0, chars.length, ...marks.flatMap((m) => [m.start, m.end])])].sort((a, b) => a - b);
  const nodes = [];
  let link = null;
  let anchor = null;
  for (let i = 0; i < cuts.length - 1; i += 1) {
    const [start, end] = [cuts[i], cuts[i + 1]];
    const active = marks.filter((m) => m.start <= start && end <= m.end);
    const here = active.find((m) => m.type === "link") || null;
    if (here !== link) {
      link = here;
      anchor = here ? h("a", { href: here.href, title: here.href }) : null;
      if (anchor) nodes.push(anchor);
    }
    let node = document.createDocumentFragment();
    chars.slice(start, end).join("").split("\n").forEach((line, index) => {
      if (index) node.append(h("br"));
      node.append(line);
    });
    for (const [style, tag] of STYLES.slice().reverse()) {
      if (active.some((m) => m.type === style)) node = h(tag.toLowerCase(), {}, node);
    }
    (anchor || { append: (n) => nodes.push(n) }).append(node);
  }
  replace(target, nodes);
}

/** {text, marks} of an editable element (the browser's <b>, <div> for Enter, pasted spans and all). */
export function readInline(root) {
  let text = "";
  const marks = [];
  const add = (mark) => {
    const last = marks.find((m) => m.type === mark.type && m.end === mark.start && m.href === mark.href);
    if (last) last.end = mark.end;
    else marks.push(mark);
  };
  function walk(node, active) {
    for (const child of node.childNodes) {
      if (child.nodeType === Node.TEXT_NODE) {
        const value = child.nodeValue.replace(/\u00a0/g, " ");
        const start = length(text);
        text += value;
        for (const [type, href] of active) if (value) add({ type, start, end: length(text), ...(href ? { href } : {}) });
      } else if (child.nodeName === "BR") {
        text += "\n";
      } else if (child.nodeType === Node.ELEMENT_NODE) {
        const block = ["DIV", "P"].includes(child.nodeName);
        if (block && text && !text.endsWith("\n")) text += "\n";
        const more = [...active];
        for (const [style, ...tags] of STYLES) if (tags.includes(child.nodeName)) more.push([style]);
        if (child.nodeName === "A" && child.getAttribute("href")) more.push(["link", child.getAttribute("href")]);
        walk(child, more);
      }
    }
  }
  walk(root, []);
  const trimmed = text.replace(/\n+$/, "");
  const end = length(trimmed);
  const kept = marks.map((m) => ({ ...m, end: Math.min(m.end, end) })).filter((m) => m.start < m.end);
  return kept.length ? { text: trimmed, marks: kept } : { text: trimmed };
}

/** Lines of marked text as separate inlines (a paragraph becoming list items). */
export function splitLines(inline) {
  const chars = Array.from(inline.text || "");
  const parts = [];
  let start = 0;
  for (let i = 0; i <= chars.length; i += 1) {
    if (i < chars.length && chars[i] !== "\n") continue;
    const marks = (inline.marks || [])
      .map((m) => ({ ...m, start: Math.max(m.start, start) - start, end: Math.min(m.end, i) - start }))
      .filter((m) => m.start < m.end);
    const text = chars.slice(start, i).join("");
    if (text.trim()) parts.push(marks.length ? { text, marks } : { text });
    start = i + 1;
  }
  return parts;
}

/** An editable marked-text area; `onInput(inline)` on each change. Ctrl+B/I/U/K work in it. */
export function editable(inline, label, onInput, onLink) {
  const area = h("div", { contenteditable: "true", role: "textbox", "aria-multiline": "true", "aria-label": label, class: "rich-text", spellcheck: "true" });
  showInline(area, inline);
  area.addEventListener("input", () => onInput(readInline(area)));
  area.addEventListener("keydown", (event) => {
    if (!(event.ctrlKey || event.metaKey) || event.altKey) return;
    const command = { b: "bold", i: "italic", u: "underline" }[event.key.toLowerCase()];
    if (command) {
      event.preventDefault();
      document.execCommand(command);
    } else if (event.key.toLowerCase() === "k" && onLink) {
      event.preventDefault();
      onLink();
    }
  });
  return area;
}

/** The link form under a toolbar: 链接地址 and 确定; the selection is kept while it is open. */
function linkForm(area, changed) {
  const input = h("input", { type: "url", id: uid("link"), inputmode: "url", placeholder: "https://" });
  const error = h("p", { class: "field-error", role: "alert", hidden: true });
  const form = h("div", { class: "link-form", hidden: true },
    h("label", { for: input.id }, t("rt_link_url")), input,
    h("button", { type: "button", class: "primary", onclick: () => apply() }, t("rt_link_apply")),
    h("button", { type: "button", onclick: () => { restore(); document.execCommand("unlink"); close(); } }, t("rt_link_remove")),
    error);
  let range = null;
  const restore = () => {
    area.focus();
    if (!range) return;
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  };
  const close = () => {
    form.hidden = true;
    changed();
    area.focus();
  };
  function apply() {
    const url = input.value.trim();
    if (!LINK.test(url)) {
      error.hidden = false;
      error.textContent = t("rt_link_bad");
      input.focus();
      return;
    }
    restore();
    document.execCommand("createLink", false, url);
    close();
  }
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter") { event.preventDefault(); apply(); }
    if (event.key === "Escape") { form.hidden = true; restore(); }
  });
  function open() {
    const selection = window.getSelection();
    range = selection.rangeCount && area.contains(selection.anchorNode) ? selection.getRangeAt(0).cloneRange() : null;
    const current = selection.anchorNode?.parentElement?.closest("a");
    input.value = current && area.contains(current) ? current.getAttribute("href") : "";
    error.hidden = true;
    form.hidden = false;
    input.focus();
  }
  return { form, open };
}

/**
 * A paragraph's or quote's editor: the toolbar and the text. `actions.turnInto(type)` makes it a list
 * ("list", "numbered") or toggles the quote; `actions.addTable()`; `actions.pasted(blocks)` for converted HTML.
 */
export function richParagraph(block, changed, actions) {
  const update = (inline) => {
    block.text = inline.text;
    block.marks = inline.marks || [];
    changed();
  };
  let link;
  const area = editable(block, block.type === "quote" ? t("rt_quote") : t("block_paragraph"), update, () => link.open());
  link = linkForm(area, () => update(readInline(area)));
  const command = (name) => () => { area.focus(); document.execCommand(name); update(readInline(area)); };
  const button = (label, onclick, pressed) => h("button", { type: "button", class: "tool", "aria-pressed": pressed, onmousedown: (e) => e.preventDefault(), onclick }, label);
  const toolbar = h("div", { class: "rich-toolbar", role: "toolbar", "aria-label": t("rt_toolbar") },
    button(t("rt_bold"), command("bold")), button(t("rt_italic"), command("italic")), button(t("rt_link"), () => link.open()),
    button(t("rt_list"), () => actions.turnInto("list")), button(t("rt_numbered"), () => actions.turnInto("numbered")),
    button(t("rt_table"), () => actions.addTable()),
    button(t("rt_quote"), () => actions.turnInto("quote"), block.type === "quote" ? "true" : "false"));
  const status = h("p", { class: "rich-status", role: "status" });
  area.addEventListener("paste", (event) => paste(event, area, status, update, actions));
  return h("div", { class: "rich-paragraph" }, toolbar, link.form, area, status);
}

async function paste(event, area, status, update, actions) {
  const data = event.clipboardData;
  if (!data || [...data.files].some((f) => f.type.startsWith("image/"))) return actions.images(event);
  const html = data.getData("text/html");
  const plain = data.getData("text/plain") || "";
  event.preventDefault();
  if (!html) return actions.plain(plain, area, update);
  status.textContent = t("rt_pasting");
  try {
    const converted = await api("POST", "/convert/html", { html });
    const dropped = converted.dropped.map((d) => d.code).filter((code) => t(`rt_drop_${code}`) !== `rt_drop_${code}`);
    status.textContent = "";
    actions.pasted(converted.blocks); // photo blocks carry their `src`: the editor brings each image in
    const what = dropped.map((c) => t(`rt_drop_${c}`)).join("、");
    if (dropped.length) say(t("rt_dropped", { what }), dropped.includes("image") ? "error" : "info"); // a lost image stays said
  } catch {
    status.textContent = t("rt_paste_failed");
    actions.plain(plain, area, update);
  }
}
