// A revision's diff side by side: the old text on the left, the text as saved now on the right.

import { h, replace } from "./dom.js";
import { t } from "./i18n.js";

const captioned = (what, caption) => `${what}${caption ? `：${caption}` : ""}`;

/** A block without text (photo, video, attachment) named as the editor knows it; a text block's own text. */
function blockText(block) {
  if (!block) return "";
  if (block.type === "photo") return captioned(`${t("diff_photo")} ${block.photo_id}`, block.caption);
  if (block.type === "video") {
    return captioned(`${t("block_video")} ${t(`video_${block.provider}`, { id: block.video_id })}`, block.caption);
  }
  if (block.type === "attachment") return `${t("block_attachment")} ${block.filename}`;
  return block.text || "";
}

/** A change's text as the server compares it (marks written in), else the block's own. */
function changeText(change, side) {
  const text = change[`${side}_text`];
  return typeof text === "string" ? text : blockText(change[side]);
}

function row(label, kind, left, right) {
  return h(
    "tr",
    { class: `diff-${kind}` },
    h("th", { scope: "row" }, label),
    h("td", { class: "diff-old" }, left),
    h("td", { class: "diff-new" }, right),
  );
}

/** Show `diff` ({fields, blocks}) in `holder` as a table: what, before, now. */
export function showDiff(holder, diff) {
  const rows = [];
  for (const change of diff.fields) {
    rows.push(row(t(change.field) || change.field, "changed", String(change.old ?? ""), String(change.new ?? "")));
  }
  for (const change of diff.blocks) {
    const where = change.new_index !== null ? change.new_index + 1 : change.old_index + 1;
    const label = `${t(`change_${change.change}`)} · ${t("diff_block", { n: where })}`;
    rows.push(row(label, change.change, changeText(change, "old"), changeText(change, "new")));
  }
  if (!rows.length) {
    replace(holder, h("p", { class: "muted" }, t("diff_none")));
    return;
  }
  const head = h("tr", {}, h("th", { scope: "col" }, t("diff_what")), h("th", { scope: "col" }, t("diff_old")), h("th", { scope: "col" }, t("diff_new")));
  const table = h("table", { class: "diff" }, h("thead", {}, head), h("tbody", {}, rows));
  const marked = diff.blocks.some((change) => typeof (change.old_text ?? change.new_text) === "string");
  replace(holder, table, ...(marked ? [h("p", { class: "muted diff-legend" }, t("diff_marks"))] : []));
}
