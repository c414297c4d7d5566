// 专题 (topics): open one by its slug, give it a title, an introduction and a banner photo, find published
// articles by title, add them and order them.

import { api } from "./api.js";
import { say } from "./app.js";
import { field, h, replace } from "./dom.js";
import { addLabels, t } from "./i18n.js";
import { createUploader, thumbnailUrl } from "./uploads.js";

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
    topic_search: "按标题查找已发布的文章",
    topic_find: "查找",
    topic_found: "找到的文章",
    topic_none_found: "没有标题含这些字的已发布文章。",
    topic_added: "已在专题中",
    topic_banner: "横幅图片（可选）",
    topic_banner_processing: "横幅图片处理中…",
    topic_banner_ready: "横幅图片已就绪",
    topic_banner_remove: "去掉横幅",
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
    topic_search: "Find published articles by title",
    topic_find: "Find",
    topic_found: "Articles found",
    topic_none_found: "No published article has these words in its title.",
    topic_added: "In the topic",
    topic_banner: "Banner photo (optional)",
    topic_banner_processing: "Processing the banner…",
    topic_banner_ready: "Banner ready",
    topic_banner_remove: "Remove the banner",
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
  let topic = { title: "", intro: "", articles: [], titles: {}, banner_photo_id: null };
  try {
    topic = await api("GET", `/topics/${encodeURIComponent(slug)}`);
  } catch (error) {
    if (error.status === 401) return;
    if (error.status !== 404) return say(error.message, "error");
    say(t("topic_new"));
  }
  const state = { ids: [...topic.articles], titles: { ...topic.titles }, banner: topic.banner_photo_id || null };
  const title = h("input", { type: "text", id: "topic-title", value: topic.title });
  const intro = h("textarea", { id: "topic-intro", rows: "4" }, topic.intro || "");
  const list = h("ol", { class: "topic-articles", "aria-label": t("topic_articles") });
  const save = h("button", { type: "button", class: "primary" }, t("save"));
  const draw = () => drawArticles(list, state, draw);
  save.addEventListener("click", async () => {
    const body = { title: title.value, intro: intro.value || null, banner_photo_id: state.banner, articles: state.ids };
    try {
      await api("PUT", `/topics/${encodeURIComponent(slug)}`, body);
      say(t("topic_saved"), "success");
    } catch (error) {
      if (error.status !== 401) say(error.message, "error");
    }
  });
  draw();
  replace(editor, field(t("topic_title"), title), field(t("topic_intro"), intro), bannerControl(state),
    finder(state, draw), h("h2", {}, t("topic_articles")), list, save);
}

function drawArticles(list, state, draw) {
  const move = (index, by) => {
    const [moved] = state.ids.splice(index, 1);
    if (by !== null) state.ids.splice(index + by, 0, moved);
    draw();
  };
  replace(list, state.ids.map((id, i) => {
    const name = state.titles[id] || id;
    return h("li", {}, h("span", {}, name), " ",
      i > 0 && button(t("topic_up"), `${t("topic_up")} ${name}`, () => move(i, -1)),
      i < state.ids.length - 1 && button(t("topic_down"), `${t("topic_down")} ${name}`, () => move(i, 1)),
      button(t("topic_remove"), `${t("topic_remove")} ${name}`, () => move(i, null)));
  }));
}

/** Search published articles by title; each hit can be added (once) at the end of the topic. */
function finder(state, draw) {
  const query = h("input", { type: "search", id: "topic-search", maxlength: "40" });
  const find = h("button", { type: "button" }, t("topic_find"));
  const results = h("ul", { class: "topic-found", "aria-label": t("topic_found"), "aria-live": "polite" });
  const show = (articles) => replace(results, articles.length ? articles.map((article) => h("li", {},
    h("span", {}, article.title), " ",
    state.ids.includes(article.id) ? h("span", { class: "hint" }, t("topic_added")) :
      button(t("topic_add"), `${t("topic_add")} ${article.title}`, () => {
        state.ids.push(article.id);
        state.titles[article.id] = article.title;
        draw();
        show(articles);
      }))) : h("li", {}, t("topic_none_found")));
  const search = async () => {
    try {
      show((await api("GET", `/topic-articles?q=${encodeURIComponent(query.value.trim())}`)).articles);
    } catch (error) {
      if (error.status !== 401) say(error.message, "error");
    }
  };
  find.addEventListener("click", search);
  query.addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      event.preventDefault();
      search();
    }
  });
  return h("div", { class: "topic-finder" }, field(t("topic_search"), query), find, results);
}

/** The banner: a photo uploaded through the pipeline, usable once processed. */
function bannerControl(state) {
  const file = h("input", { type: "file", accept: "image/jpeg,image/png,image/webp" });
  const status = h("div", { class: "topic-banner-state", role: "status" });
  const show = (text, src) => replace(status, src && h("img", { src, alt: "", width: "160" }), text,
    state.banner && button(t("topic_banner_remove"), null, () => { state.banner = null; show(""); }));
  if (state.banner) show(t("topic_banner_ready"));
  const uploader = createUploader((job) => {
    if (job.state === "ready") {
      state.banner = job.photo_id;
      show(t("topic_banner_ready"), thumbnailUrl(job.photo, 320));
    } else if (job.state === "rejected" || job.state === "failed") {
      show(job.reason || "");
    } else {
      show(t("topic_banner_processing"));
    }
  });
  file.addEventListener("change", () => file.files.length && uploader.add([...file.files]));
  return h("div", {}, field(t("topic_banner"), file), status);
}

function button(text, label, action) {
  const control = h("button", { type: "button", "aria-label": label }, text);
  control.addEventListener("click", action);
  return control;
}
