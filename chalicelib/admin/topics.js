// 专题 (topics): open one by its slug, give it a title and an introduction, add recent articles and order them.

import { api } from "./api.js";
import { say } from "./app.js";
import { field, h, replace, select } from "./dom.js";
import { addLabels, t } from "./i18n.js";

addLabels({
  "zh-CN": {
    nav_topics: "专题",
    topics_title: "专题",
    topic_slug: "专题网址名（小写字母、数字、连字符）",
    topic_open: "打开",
    topic_new: "这是一个新专题。",
    topic_title: "专题标题",
    topic_intro: "专题简介",
    topic_add: "加入专题",
    topic_articles: "专题文章（按显示顺序）",
    topic_up: "上移",
    topic_down: "下移",
    topic_remove: "移出",
    topic_saved: "专题已保存。",
  },
  en: {
    nav_topics: "Topics",
    topics_title: "Topics",
    topic_slug: "Topic address name (lower-case letters, digits, hyphens)",
    topic_open: "Open",
    topic_new: "This is a new topic.",
    topic_title: "Topic title",
    topic_intro: "Introduction",
    topic_add: "Add to topic",
    topic_articles: "Articles (in the order shown)",
    topic_up: "Up",
    topic_down: "Down",
    topic_remove: "Remove",
    topic_saved: "Topic saved.",
  },
});

export async function showTopics(main) {
  const slug = h("input", { type: "text", id: "topic-slug" });
  const open = h("button", { type: "button" }, t("topic_open"));
  const editor = h("div");
  replace(main, h("h1", {}, t("topics_title")), field(t("topic_slug"), slug), open, editor);
  open.addEventListener("click", () => openTopic(editor, slug.value.trim()));
}

async function openTopic(editor, slug) {
  let topic = { title: "", intro: "", articles: [] };
  let recent = [];
  try {
    recent = (await api("GET", "/articles?status=published")).articles;
    topic = await api("GET", `/topics/${encodeURIComponent(slug)}`);
  } catch (error) {
    if (error.status === 401) return;
    if (error.status !== 404) return say(error.message, "error");
    say(t("topic_new"));
  }
  const titles = Object.fromEntries(recent.map((a) => [a.id, a.title]));
  const ids = [...topic.articles];
  const title = h("input", { type: "text", id: "topic-title", value: topic.title });
  const intro = h("textarea", { id: "topic-intro", rows: "4" }, topic.intro || "");
  const chooser = select(recent.map((a) => [a.id, a.title]), "");
  chooser.id = "topic-chooser";
  const add = h("button", { type: "button" }, t("topic_add"));
  const list = h("ol", { class: "topic-articles", "aria-label": t("topic_articles") });
  const save = h("button", { type: "button" }, t("save"));

  function move(index, by) {
    const [moved] = ids.splice(index, 1);
    if (by !== null) ids.splice(index + by, 0, moved);
    draw();
  }

  function draw() {
    replace(list, ids.map((id, i) => h(
      "li", {}, h("span", {}, titles[id] || id), " ",
      i > 0 && button(t("topic_up"), `${t("topic_up")} ${titles[id] || id}`, () => move(i, -1)),
      i < ids.length - 1 && button(t("topic_down"), `${t("topic_down")} ${titles[id] || id}`, () => move(i, 1)),
      button(t("topic_remove"), `${t("topic_remove")} ${titles[id] || id}`, () => move(i, null)),
    )));
  }

  add.addEventListener("click", () => {
    if (chooser.value && !ids.includes(chooser.value)) ids.push(chooser.value);
    draw();
  });
  save.addEventListener("click", async () => {
    try {
      await api("PUT", `/topics/${encodeURIComponent(slug)}`, { title: title.value, intro: intro.value || null, articles: ids });
      say(t("topic_saved"), "success");
    } catch (error) {
      if (error.status !== 401) say(error.message, "error");
    }
  });
  draw();
  replace(editor, field(t("topic_title"), title), field(t("topic_intro"), intro), field(t("topic_add"), chooser), add,
    h("h2", {}, t("topic_articles")), list, save);
}

function button(text, label, action) {
  const control = h("button", { type: "button", "aria-label": label }, text);
  control.addEventListener("click", action);
  return control;
}
