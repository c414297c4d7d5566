// Site settings (admins): what every reader page shows as the association's own: names, logo, description,
// contact, address, phone, filing numbers, footer links, the notices bar's length, caption style, language.

import { api } from "./api.js";
import { say } from "./app.js";
import { field, h, replace, select } from "./dom.js";
import { addLabels, t } from "./i18n.js";
import { createUploader, thumbnailUrl } from "./uploads.js";

addLabels({
  "zh-CN": {
    nav_settings: "网站设置",
    settings_title: "网站设置",
    settings_hint: "保存后，读者页面最迟在一分钟内显示新内容。",
    setting_site_name: "网站名称",
    setting_short_name: "网站简称（手机上显示）",
    setting_logo_photo_id: "网站标志（可选）",
    setting_logo_ready: "标志已就绪",
    setting_logo_processing: "标志处理中…",
    setting_logo_remove: "去掉标志",
    setting_footer_links: "页脚链接（每行一个：名称 空格 网址，如“关于我们 /articles/about”）",
    setting_notices_shown: "通知栏显示条数（0 为不显示）",
    setting_caption_style: "图片说明样式",
    caption_center: "居中",
    caption_left: "居左",
    caption_bar: "灰底说明条",
    setting_description: "网站简介",
    setting_contact_url: "联系方式链接（mailto:、tel: 或网址）",
    setting_address: "地址",
    setting_phone: "电话",
    setting_icp: "ICP备案号",
    setting_police_filing: "公安备案号",
    setting_language: "网站语言",
    settings_saved: "网站设置已保存。",
    setting_text: "“{label}”内容过长或含有不允许的字符。",
    setting_required: "“{label}”不能为空。",
    setting_language_code: "网站语言只能是 zh-CN 或 en。",
    setting_link: "“{label}”须以 mailto:、tel:、http:// 或 https:// 开头。",
  },
  en: {
    nav_settings: "Site settings",
    settings_title: "Site settings",
    settings_hint: "Reader pages show saved changes within a minute.",
    setting_site_name: "Site name",
    setting_short_name: "Short name (shown on phones)",
    setting_logo_photo_id: "Logo (optional)",
    setting_logo_ready: "Logo ready",
    setting_logo_processing: "Processing the logo…",
    setting_logo_remove: "Remove the logo",
    setting_footer_links: "Footer links (one a line: name, a space, address, e.g. “About /articles/about”)",
    setting_notices_shown: "Notices shown in the bar (0 hides it)",
    setting_caption_style: "Photo caption style",
    caption_center: "Centred",
    caption_left: "Left-aligned",
    caption_bar: "On a grey bar",
    setting_description: "Description",
    setting_contact_url: "Contact link (mailto:, tel: or a web address)",
    setting_address: "Address",
    setting_phone: "Phone",
    setting_icp: "ICP filing number",
    setting_police_filing: "Public security filing number",
    setting_language: "Site language",
    settings_saved: "Site settings saved.",
    setting_text: "“{label}” is too long or has characters it may not.",
    setting_required: "“{label}” must not be empty.",
    setting_language_code: "The site language is zh-CN or en.",
    setting_link: "“{label}” must start with mailto:, tel:, http:// or https://.",
  },
});

const TEXTS = ["site_name", "short_name", "contact_url", "address", "phone", "icp", "police_filing"];
const CHOICES = { language: [["zh-CN", "中文"], ["en", "English"]], caption_style: ["center", "left", "bar"] };

/** The zh-CN (or en) message for the server's stable code; its own message when the code is new. */
function problem(error) {
  const label = t(`setting_${(error.field || "").split(".")[0]}`);
  const key = error.body.code === "setting_language" ? "setting_language_code" : error.body.code;
  return key && t(key) !== key ? t(key, { label }) : error.message;
}

function controls() {
  const inputs = Object.fromEntries(TEXTS.map((name) => [name, h("input", { type: "text", name, id: `setting-${name}` })]));
  inputs.description = h("textarea", { id: "setting-description", rows: "2" });
  inputs.language = select(CHOICES.language, "zh-CN");
  inputs.caption_style = select(CHOICES.caption_style.map((c) => [c, t(`caption_${c}`)]), "center");
  inputs.notices_shown = h("input", { type: "number", min: "0", max: "10", id: "setting-notices_shown" });
  inputs.footer_links = h("textarea", { id: "setting-footer_links", rows: "4" });
  return inputs;
}

/** The footer links as typed, one a line: the last word is the address, the rest the name. */
function footerLinks(text) {
  return text.split("\n").map((line) => line.trim()).filter(Boolean).map((line) => {
    const cut = line.lastIndexOf(" ");
    return cut < 0 ? { name: line, url: "" } : { name: line.slice(0, cut).trim(), url: line.slice(cut + 1) };
  });
}

/** The logo: a photo uploaded through the pipeline, usable once processed. */
function logoControl(logo) {
  const file = h("input", { type: "file", accept: "image/jpeg,image/png,image/webp", id: "setting-logo_photo_id" });
  const status = h("div", { class: "setting-logo", role: "status" });
  const show = (text, src) => replace(status, src && h("img", { src, alt: "", height: "40" }), text,
    logo.id && h("button", { type: "button", onclick: () => { logo.id = null; show(""); } }, t("setting_logo_remove")));
  const uploader = createUploader((job) => {
    if (job.state === "ready") {
      logo.id = job.photo_id;
      show(t("setting_logo_ready"), thumbnailUrl(job.photo, 160));
    } else show(job.state === "rejected" || job.state === "failed" ? job.reason || "" : t("setting_logo_processing"));
  });
  file.addEventListener("change", () => file.files.length && uploader.add([...file.files]));
  return { file, status, show };
}

export async function showSettings(main) {
  const inputs = controls();
  const logo = { id: null };
  const logoParts = logoControl(logo);
  const order = ["site_name", "short_name", "description", "contact_url", "address", "phone", "icp", "police_filing",
    "footer_links", "notices_shown", "caption_style", "language"];
  const form = h("form", { class: "settings", novalidate: "" },
    ...order.map((name) => field(t(`setting_${name}`), inputs[name])),
    field(t("setting_logo_photo_id"), logoParts.file), logoParts.status,
    h("button", { type: "submit" }, t("save")));
  replace(main, h("h1", {}, t("settings_title")), h("p", { class: "hint" }, t("settings_hint")), form);
  try {
    const current = await api("GET", "/settings");
    for (const name of order) inputs[name].value = current[name] ?? "";
    inputs.footer_links.value = (current.footer_links || []).map((l) => `${l.name} ${l.url}`).join("\n");
    logo.id = current.logo_photo_id || null;
    if (logo.id) logoParts.show(t("setting_logo_ready"));
  } catch (error) {
    if (error.status !== 401) say(error.message, "error");
  }
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    saveSettings(inputs, logo, logoParts.file);
  });
}

async function saveSettings(inputs, logo, logoFile) {
  for (const input of [...Object.values(inputs), logoFile]) input.removeAttribute("aria-invalid");
  const body = Object.fromEntries(Object.entries(inputs).map(([name, input]) => [name, input.value]));
  body.footer_links = footerLinks(inputs.footer_links.value);
  body.notices_shown = Number(inputs.notices_shown.value);
  body.logo_photo_id = logo.id;
  try {
    await api("PUT", "/settings", body);
    say(t("settings_saved"), "success");
  } catch (error) {
    if (error.status === 401) return;
    const input = error.field === "logo_photo_id" ? logoFile : inputs[(error.field || "").split(".")[0]];
    if (input) {
      input.setAttribute("aria-invalid", "true");
      input.focus();
    }
    say(problem(error), "error");
  }
}
