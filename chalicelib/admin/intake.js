// Bringing content in: 从公众号导入 (a link, or pasted content), 导入Word文档, 添加附件 and 添加视频.
// Imports become a draft on the server (photos localised there) and the editor opens it; images the
// server could not fetch are listed on the draft with a button to upload each by hand.

import { api } from "./api.js";
import { navigate, say } from "./app.js";
import { h, field, uid } from "./dom.js";
import { t } from "./i18n.js";
import { newBlock } from "./blocks.js";
import { refusalText } from "./intake_labels.js";

const FAILURES = "newsroom.import-failures.";
const VIDEO_LINK = /^https?:\/\/([\w-]+\.)*(v\.qq\.com|bilibili\.com)\//i;

/** Upload `file` with the attachments' presigned form; its attachment id. */
async function uploadFile(file) {
  const form = await api("POST", "/attachments", { filename: file.name, size: file.size });
  const body = new FormData();
  for (const [name, value] of Object.entries(form.upload.fields)) body.append(name, value);
  body.append("file", file);
  const response = await fetch(form.upload.url, { method: "POST", body, credentials: "omit" });
  if (!response.ok) throw new Error(`S3 ${response.status}`);
  return form.attachment_id;
}

function category(ed) {
  const value = ed.form.inputs.category.value;
  if (!value) {
    ed.form.inputs.category.setAttribute("aria-invalid", "true");
    throw new Error(t("need_category"));
  }
  return value;
}

/** Open the imported draft, keeping what could not come along for the editor to see there. */
function openImported(answer) {
  if (answer.failed_images && answer.failed_images.length) {
    sessionStorage.setItem(FAILURES + answer.article.id, JSON.stringify(answer.failed_images));
  }
  navigate(`#/articles/${encodeURIComponent(answer.article.id)}`);
  say(t("imported"));
}

function wechatDialog(ed) {
  const link = h("input", { type: "url", inputmode: "url", placeholder: "https://mp.weixin.qq.com/s/..." });
  const pasteLabel = uid("paste");
  const pasted = { html: "" };
  const paste = h("div", { class: "paste-box", contenteditable: "true", role: "textbox", "aria-multiline": "true", "aria-labelledby": pasteLabel, tabindex: "0" });
  paste.addEventListener("paste", (event) => {
    event.preventDefault();
    const data = event.clipboardData;
    pasted.html = data.getData("text/html") || data.getData("text/plain").replace(/[&<>]/g, (c) => `&#${c.charCodeAt(0)};`);
    paste.textContent = t("wechat_pasted", { n: pasted.html.length });
  });
  const status = h("p", { class: "dialog-status", role: "status", "aria-live": "polite" });
  const go = h("button", { type: "button", class: "primary" }, t("import"));
  const close = h("button", { type: "button" }, t("cancel"));
  const dialog = h(
    "dialog",
    { class: "intake-dialog", "aria-labelledby": "wechat-title" },
    h("h2", { id: "wechat-title" }, t("wechat_import")),
    field(t("wechat_link"), link),
    h("div", { class: "field" }, h("label", { id: pasteLabel }, t("wechat_paste")), paste, h("p", { class: "hint" }, t("wechat_paste_hint"))),
    status,
    h("div", { class: "actions" }, go, close),
  );
  close.addEventListener("click", () => dialog.close());
  go.addEventListener("click", async () => {
    go.disabled = true;
    status.textContent = t("importing");
    try {
      const body = pasted.html ? { html: pasted.html, category: category(ed) } : { url: link.value.trim(), category: category(ed) };
      if (pasted.html && ed.form.inputs.title.value.trim()) body.title = ed.form.inputs.title.value.trim();
      const answer = await api("POST", "/imports/wechat", body);
      dialog.close();
      openImported(answer);
    } catch (error) {
      status.textContent = refusalText(t, error);
    } finally {
      go.disabled = false;
    }
  });
  return dialog;
}

function fileButton(text, attrs, onFiles) {
  const input = h("input", { type: "file", class: "file-input", id: uid("file"), ...attrs });
  input.addEventListener("change", () => {
    const files = [...input.files];
    input.value = "";
    if (files.length) onFiles(files);
  });
  return h("span", { class: "file-button" }, h("label", { for: input.id, class: "button" }, text), input);
}

async function importWord(ed, [file]) {
  if (/\.doc$/i.test(file.name)) {
    say(t("word_doc"), "error");
    return;
  }
  try {
    const cat = category(ed);
    say(t("uploading_file", { name: file.name }));
    const attachmentId = await uploadFile(file);
    openImported(await api("POST", "/imports/word", { attachment_id: attachmentId, category: cat }));
  } catch (error) {
    say(`${file.name}: ${refusalText(t, error)}`, "error");
  }
}

async function addAttachments(ed, files) {
  for (const file of files) {
    try {
      say(t("uploading_file", { name: file.name }));
      const attachmentId = await uploadFile(file);
      const { block } = await api("POST", `/attachments/${encodeURIComponent(attachmentId)}/complete`);
      ed.body.add([newBlock(block.type, block)], ed.body.insertionIndex(), false);
      say(t("file_added", { name: file.name }));
    } catch (error) {
      say(`${file.name}: ${refusalText(t, error)}`, "error");
    }
  }
}

function videoForm(ed) {
  const link = h("input", { type: "url", inputmode: "url" });
  const add = h("button", { type: "button" }, t("add"));
  const form = h("div", { class: "video-form", hidden: true }, field(t("video_link"), link, t("video_hint")), add);
  add.addEventListener("click", () => {
    const url = link.value.trim();
    if (!VIDEO_LINK.test(url)) {
      say(t("code_video_source"), "error");
      link.focus();
      return;
    }
    ed.body.add([newBlock("video", { url })], ed.body.insertionIndex(), false);
    link.value = "";
    form.hidden = true;
  });
  return form;
}

/** Images an import could not fetch, each with a button to upload it where it was. */
function failuresNotice(ed) {
  const id = ed.articleId && sessionStorage.getItem(FAILURES + ed.articleId);
  if (!id) return null;
  const failures = JSON.parse(id);
  const items = failures.map((failure, n) => {
    const caption = failure.caption ? `「${failure.caption}」` : "";
    const reason = t(`code_${failure.code}`) !== `code_${failure.code}` ? t(`code_${failure.code}`) : t("code_photo_failed");
    const upload = fileButton(t("upload_it"), { accept: "image/jpeg,image/png,image/webp" }, (files) => {
      ed.photos.addImages(files, Math.min(failure.position, ed.body.blocks.length) - 1);
      item.remove();
    });
    const item = h("li", {}, t("failed_image", { n: n + 1, caption, reason }), " ", upload);
    return item;
  });
  sessionStorage.removeItem(FAILURES + ed.articleId);
  return h("div", { class: "import-failures", role: "alert" }, h("p", {}, t("failed_images")), h("ul", {}, items));
}

/** The intake tools under the body's add buttons. */
export function intakeTools(ed) {
  const dialog = wechatDialog(ed);
  const wechat = h("button", { type: "button" }, t("wechat_import"));
  wechat.addEventListener("click", () => dialog.showModal());
  const video = videoForm(ed);
  const addVideo = h("button", { type: "button" }, t("add_video"));
  addVideo.addEventListener("click", () => {
    video.hidden = !video.hidden;
    if (!video.hidden) video.querySelector("input").focus();
  });
  const word = fileButton(t("word_import"), { accept: ".docx,.doc" }, (files) => importWord(ed, files));
  const attach = fileButton(t("add_attachment"), { multiple: true }, (files) => addAttachments(ed, files));
  return h("div", { class: "intake-tools" }, failuresNotice(ed), h("div", { class: "add-blocks" }, wechat, word, attach, addVideo), video, dialog);
}
