// 友情链接 (admins): links in groups (会员单位, 合作伙伴, 政府部门), in order, each with an optional logo
// uploaded through the photo pipeline (saved once it is processed); every page's footer names them.

import { api } from "./api.js";
import { say } from "./app.js";
import { field, h, replace, select } from "./dom.js";
import { addLabels, t } from "./i18n.js";
import { createUploader, thumbnailUrl } from "./uploads.js";

addLabels({
  "zh-CN": {
    nav_links: "友情链接",
    links_title: "友情链接",
    links_hint: "保存后，读者页面最迟在一分钟内显示；标志图片处理完成后才能保存。",
    link_group_label: "分组",
    link_name_label: "名称",
    link_url_label: "网址",
    link_logo_label: "标志图片（可选）",
    link_logo_processing: "标志图片处理中…",
    link_logo_ready: "标志图片已就绪",
    link_logo_remove: "去掉标志",
    link_add: "添加链接",
    link_entry: "第 {n} 个链接",
    links_group_members: "会员单位",
    links_group_partners: "合作伙伴",
    links_group_government: "政府部门",
    links_saved: "友情链接已保存。",
  },
  en: {
    nav_links: "Links",
    links_title: "Links",
    links_hint: "Reader pages show saved changes within a minute; a logo can be saved once it is processed.",
    link_group_label: "Group",
    link_name_label: "Name",
    link_url_label: "Address",
    link_logo_label: "Logo (optional)",
    link_logo_processing: "Processing the logo…",
    link_logo_ready: "Logo ready",
    link_logo_remove: "Remove the logo",
    link_add: "Add a link",
    link_entry: "Link {n}",
    links_group_members: "Members",
    links_group_partners: "Partners",
    links_group_government: "Government",
    links_saved: "Links saved.",
  },
});

const GROUPS = ["members", "partners", "government"];

export async function showLinks(main) {
  const list = h("ol", { class: "link-rows" });
  const add = h("button", { type: "button" }, t("link_add"));
  const save = h("button", { type: "button", class: "primary" }, t("save"));
  replace(main, h("h1", {}, t("links_title")), h("p", { class: "hint" }, t("links_hint")), list, add, save);
  const uploader = createUploader((job) => job.onChange && job.onChange(job));
  add.disabled = save.disabled = true; // until the stored links are read: a row added before would be lost
  let rows = [];
  const draw = () => replace(list, rows.map((row, i) => row.item(i, rows.length)));
  const move = (row, by) => {
    const index = rows.indexOf(row);
    rows.splice(index, 1);
    if (by !== null) rows.splice(index + by, 0, row);
    draw();
  };
  try {
    rows = (await api("GET", "/links")).links.map((link) => linkRow(link, uploader, move));
  } catch (error) {
    if (error.status !== 401) say(error.message, "error");
    return; // saving now would replace the stored links with none
  }
  draw();
  add.disabled = save.disabled = false;
  add.addEventListener("click", () => {
    rows.push(linkRow({ group: "members", name: "", url: "https://", logo_photo_id: null }, uploader, move));
    draw();
    rows[rows.length - 1].focus();
  });
  save.addEventListener("click", () => saveLinks(rows));
}

async function saveLinks(rows) {
  for (const row of rows) row.clearInvalid();
  try {
    await api("PUT", "/links", { links: rows.map((row) => row.value()) });
    say(t("links_saved"), "success");
  } catch (error) {
    if (error.status === 401) return;
    const found = /^links\.(\d+)\.(\w+)$/.exec(error.field || "");
    if (found && rows[Number(found[1])]) rows[Number(found[1])].markInvalid(found[2]);
    say(error.message, "error");
  }
}

/** One link's controls; `value()` is what the API takes. */
function linkRow(link, uploader, move) {
  const group = select(GROUPS.map((g) => [g, t(`links_group_${g}`)]), link.group);
  const name = h("input", { type: "text", value: link.name, maxlength: "60" });
  const url = h("input", { type: "url", value: link.url, maxlength: "300" });
  const file = h("input", { type: "file", accept: "image/jpeg,image/png,image/webp" });
  const logo = h("div", { class: "link-logo", role: "status" });
  let photoId = link.logo_photo_id || null;
  const controls = { group, name, url, logo_photo_id: file };
  const showLogo = (text, src) => replace(logo, src && h("img", { src, alt: "", width: "80" }), text,
    photoId && button("link_logo_remove", null, () => { photoId = null; showLogo(""); }));
  if (photoId) showLogo(t("link_logo_ready"));
  file.addEventListener("change", () => {
    if (!file.files.length) return;
    const [job] = uploader.add([...file.files]);
    job.onChange = (current) => {
      if (current.state === "ready") {
        photoId = current.photo_id;
        showLogo(t("link_logo_ready"), thumbnailUrl(current.photo, 160));
      } else if (current.state === "rejected" || current.state === "failed") {
        photoId = null;
        showLogo(current.reason || "");
      } else {
        showLogo(t("link_logo_processing"));
      }
    };
  });
  const value = () => ({ group: group.value, name: name.value, url: url.value, logo_photo_id: photoId });
  const focus = () => name.focus();
  const clearInvalid = () => Object.values(controls).forEach((c) => c.removeAttribute("aria-invalid"));
  const markInvalid = (which) => {
    const control = controls[which] || name;
    control.setAttribute("aria-invalid", "true");
    control.focus();
  };
  const item = (i, count) => h("li", { class: "link-row", "aria-label": t("link_entry", { n: i + 1 }) },
    field(t("link_group_label"), group), field(t("link_name_label"), name), field(t("link_url_label"), url),
    field(t("link_logo_label"), file), logo,
    h("div", { class: "row-actions" },
      i > 0 && button("topic_up", name, () => move(row, -1)),
      i < count - 1 && button("topic_down", name, () => move(row, 1)),
      button("topic_remove", name, () => move(row, null))));
  const row = { value, focus, clearInvalid, markInvalid, item };
  return row;
}

/** A button named by its action and, when given, the link's name as it is typed ("上移 市住建委"). */
function button(key, name, action) {
  const control = h("button", { type: "button" }, t(key));
  const label = () => control.setAttribute("aria-label", `${t(key)} ${name.value}`);
  if (name) {
    label();
    name.addEventListener("input", label);
  }
  control.addEventListener("click", action);
  return control;
}
