// A paragraph's or heading's text control; text pasted with blank lines becomes several paragraphs,
// images pasted into a paragraph become photo blocks after it.

import { h, field } from "./dom.js";
import { t } from "./i18n.js";
import { richControl } from "./block_rich.js";

const PARAGRAPH_BREAK = /\r?\n[ \t\u3000]*\r?\n/;

/** Text pasted with blank lines between paragraphs: one string per paragraph, line breaks inside kept. */
export function splitParagraphs(text) {
  return text
    .replace(/\r\n?/g, "\n")
    .split(PARAGRAPH_BREAK)
    .map((part) => part.replace(/^\n+|\n+$/g, ""))
    .filter((part) => part.trim());
}

function autosize(textarea) {
  textarea.style.height = "auto";
  textarea.style.height = `${textarea.scrollHeight + 2}px`;
}

/** Paste into a paragraph (`list`: {indexOf(block), insertParagraphs(index, texts), onImages(files, index)}). */
function pasteInto(event, control, block, list) {
  const data = event.clipboardData;
  if (!data) return;
  const images = [...data.files].filter((f) => f.type.startsWith("image/"));
  if (images.length) {
    event.preventDefault();
    list.onImages(images, list.indexOf(block));
    return;
  }
  const parts = splitParagraphs(data.getData("text/plain") || "");
  if (parts.length < 2) return; // one paragraph: the browser pastes it as usual
  event.preventDefault();
  const before = control.value.slice(0, control.selectionStart);
  const after = control.value.slice(control.selectionEnd);
  parts[0] = before + parts[0];
  parts[parts.length - 1] += after;
  block.text = parts.shift();
  control.value = block.text;
  list.insertParagraphs(list.indexOf(block), parts);
}

/** The labelled text control of a paragraph or heading block. */
export function textControl(block, list) {
  if (["paragraph", "quote", "list", "table"].includes(block.type)) return richControl(block, list, splitParagraphs);
  const isParagraph = block.type === "paragraph";
  const control = isParagraph ? h("textarea", { rows: 3 }) : h("input", { type: "text", class: "heading-input" });
  control.value = block.text || "";
  control.addEventListener("input", () => {
    block.text = control.value;
    if (isParagraph) autosize(control);
    list.changed();
  });
  if (isParagraph) {
    control.addEventListener("paste", (event) => pasteInto(event, control, block, list));
    requestAnimationFrame(() => autosize(control));
  }
  return field(isParagraph ? t("paragraph") : t("heading"), control);
}
