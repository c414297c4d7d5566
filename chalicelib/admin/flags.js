// The article's home page features: 头条, 幻灯 and 推荐 (the article JSON's `flags`) and 置顶至 (pinned_until).

import { h } from "./dom.js";
import { addLabels, t } from "./i18n.js";

addLabels({
  "zh-CN": {
    flags_title: "首页推荐位",
    flag_headline: "头条",
    flag_carousel: "幻灯（需有图片）",
    flag_recommended: "推荐",
    pinned_until: "置顶至（可不填）",
  },
  en: {
    flags_title: "Home page",
    flag_headline: "Headline",
    flag_carousel: "Carousel (needs a photo)",
    flag_recommended: "Recommended",
    pinned_until: "Pinned until (optional)",
  },
});

const FLAGS = ["headline", "carousel", "recommended"];

/** Checkboxes and a date, with `gather()` -> {flags, pinned_until} and `fill(article)`. */
export function createFlags() {
  const boxes = Object.fromEntries(FLAGS.map((flag) => [flag, h("input", { type: "checkbox", id: `flag-${flag}`, value: flag })]));
  const pinned = h("input", { type: "date", id: "pinned-until", name: "pinned_until" });

  function gather() {
    const flags = FLAGS.filter((flag) => boxes[flag].checked);
    // The end of the chosen day where the editor is, as an instant the server can compare.
    const pinnedUntil = flags.length && pinned.value ? new Date(`${pinned.value}T23:59:59`).toISOString() : null;
    return { flags, pinned_until: pinnedUntil };
  }

  function fill(article) {
    for (const flag of FLAGS) boxes[flag].checked = (article.flags || []).includes(flag);
    const until = article.pinned_until ? new Date(article.pinned_until) : null;
    pinned.value = until ? `${until.getFullYear()}-${String(until.getMonth() + 1).padStart(2, "0")}-${String(until.getDate()).padStart(2, "0")}` : "";
  }

  const element = h(
    "fieldset",
    { class: "flags" },
    h("legend", {}, t("flags_title")),
    ...FLAGS.map((flag) => h("div", { class: "field field-checkbox" }, boxes[flag], h("label", { for: `flag-${flag}` }, t(`flag_${flag}`)))),
    h("div", { class: "field" }, h("label", { for: "pinned-until" }, t("pinned_until")), pinned),
  );
  return { element, gather, fill, controls: [...Object.values(boxes), pinned] };
}
