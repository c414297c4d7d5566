// Site settings (admins): the name, contact, address, phone and filing numbers every reader page shows.

import { api } from "./api.js";
import { say } from "./app.js";
import { field, h, replace } from "./dom.js";
import { addLabels, t } from "./i18n.js";

addLabels({
  "zh-CN": {
    nav_settings: "网站设置",
    settings_title: "网站设置",
    settings_hint: "保存后，读者页面最迟在一分钟内显示新内容。",
    setting_site_name: "网站名称",
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

const FIELDS = ["site_name", "description", "contact_url", "address", "phone", "icp", "police_filing", "language"];

/** The zh-CN (or en) message for the server's stable code; its own message when the code is new. */
function problem(error) {
  const label = t(`setting_${error.field}`);
  const key = error.body.code === "setting_language" ? "setting_language_code" : error.body.code;
  return key && t(key) !== key ? t(key, { label }) : error.message;
}

export async function showSettings(main) {
  const inputs = Object.fromEntries(FIELDS.map((name) => [name, h("input", { type: "text", name, id: `setting-${name}` })]));
  const form = h(
    "form",
    { class: "settings", novalidate: "" },
    ...FIELDS.map((name) => field(t(`setting_${name}`), inputs[name])),
    h("button", { type: "submit" }, t("save")),
  );
  replace(main, h("h1", {}, t("settings_title")), h("p", { class: "hint" }, t("settings_hint")), form);
  try {
    const current = await api("GET", "/settings");
    for (const name of FIELDS) inputs[name].value = current[name] ?? "";
  } catch (error) {
    if (error.status !== 401) say(error.message, "error");
  }
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    for (const input of Object.values(inputs)) input.removeAttribute("aria-invalid");
    try {
      await api("PUT", "/settings", Object.fromEntries(FIELDS.map((name) => [name, inputs[name].value])));
      say(t("settings_saved"), "success");
    } catch (error) {
      if (error.status === 401) return;
      if (inputs[error.field]) {
        inputs[error.field].setAttribute("aria-invalid", "true");
        inputs[error.field].focus();
      }
      say(problem(error), "error");
    }
  });
}
