// A paragraph's or quote's editor (richtext.js) wired to the body's block list, and the list and table
// blocks' editors (richblocks.js): 列表/编号列表 turn the paragraph into a list, 引用 toggles a quote, 表格 adds a
// table after it, HTML pasted is converted by the server into blocks put in its place or after it (its images
// brought in as photos).

import { emptyTable, listEditor, tableEditor } from "./richblocks.js";
import { richParagraph, splitLines } from "./richtext.js";

const FIRST_FIELD = "[contenteditable], textarea, input:not(.link-form input)";

/** The control of a paragraph, quote, list or table `block` in the block list `list` (blocks.js); plain text
 * pasted is cut into paragraphs by `splitParagraphs` (block_text.js). */
export function richControl(block, list, splitParagraphs) {
  const { newBlock } = list;
  if (block.type === "list") return listEditor(block, list.changed);
  if (block.type === "table") return tableEditor(block, list.changed);
  const at = () => list.indexOf(block);
  const insert = (index, added) => {
    list.blocks.splice(index + 1, 0, ...added);
    list.render();
    list.changed();
    list.items.get(added[0]?.key)?.querySelector(FIRST_FIELD)?.focus();
  };
  const swap = (replacement) => {
    list.blocks.splice(at(), 1, replacement);
    list.render();
    list.changed();
    list.items.get(replacement.key)?.querySelector(FIRST_FIELD)?.focus();
  };
  return richParagraph(block, list.changed, {
    turnInto(kind) {
      if (kind === "quote") {
        return swap(newBlock(block.type === "quote" ? "paragraph" : "quote", { text: block.text, marks: block.marks }));
      }
      const lines = splitLines(block);
      return swap(newBlock("list", { ordered: kind === "numbered", items: lines.length ? lines : [{ text: "" }] }));
    },
    addTable: () => insert(at(), [newBlock("table", emptyTable())]),
    pasted(added) {
      const made = added.map((b) => newBlock(b.type, { ...b }));
      if (!made.length) return;
      const index = at();
      if (!(block.text || "").trim()) list.blocks.splice(index, 1);
      insert(list.blocks.includes(block) ? index : index - 1, made);
      const images = made.filter((b) => b.type === "photo" && b.src);
      if (images.length) list.photoActions.bringIn(images); // fetched by the server, or uploaded (paste_images.js)
    },
    images(event) {
      const images = [...event.clipboardData.files].filter((f) => f.type.startsWith("image/"));
      if (!images.length) return;
      event.preventDefault();
      list.onImages(images, at());
    },
    plain(text) {
      const parts = splitParagraphs(text);
      document.execCommand("insertText", false, parts.shift() || "");
      if (parts.length) list.insertParagraphs(at(), parts);
    },
  });
}
