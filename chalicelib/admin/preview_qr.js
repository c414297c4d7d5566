// Preview links (POST/DELETE /api/articles/{id}/preview): 预览 saves, opens the link and shows it with its QR
// code (POST /api/qr, made by the server with segno) so a reviewer opens it on a phone; 撤销预览链接 revokes
// every link given out.

import "./housekeeping_labels.js";
import { api } from "./api.js";
import { say } from "./app.js";
import { h, replace } from "./dom.js";
import { formatDateTime, t } from "./i18n.js";

/** A figure with the QR code of `url`, or null when it could not be made (the link itself is still shown). */
export async function previewQr(url) {
  try {
    const answer = await api("POST", "/qr", { url });
    return h("figure", { class: "preview-qr" }, h("img", { src: answer.svg, alt: t("preview_qr_alt") }), h("figcaption", { class: "muted" }, t("preview_qr_hint")));
  } catch {
    return null;
  }
}

/** Show the link (and its QR code) in `previewLink`. */
function showLink(previewLink, url, expiresAt) {
  replace(
    previewLink,
    t("preview_link"),
    " ",
    h("a", { href: url, target: "_blank", rel: "noopener", class: "preview-url" }, url),
    h("span", { class: "muted" }, ` ${t("preview_expires", { when: formatDateTime(expiresAt) })}`),
  );
  previewQr(url).then((qr) => qr && previewLink.append(qr)); // for a reviewer's phone
}

async function openPreview(save, previewLink) {
  const article = await save();
  if (!article) return;
  // Opened now, while the click still counts as the editor's gesture; the address follows.
  const tab = window.open("", "_blank");
  try {
    const answer = await api("POST", `/articles/${encodeURIComponent(article.id)}/preview`);
    const url = new URL(answer.url, location.href).href;
    showLink(previewLink, url, answer.expires_at);
    if (tab) {
      tab.opener = null;
      tab.location.href = url;
    }
    say(t("preview_ready"), "success");
  } catch (error) {
    if (tab) tab.close();
    if (error.status !== 401) say(error.message, "error");
  }
}

async function revokePreviews(article, previewLink) {
  if (!article) return;
  try {
    await api("DELETE", `/articles/${encodeURIComponent(article.id)}/preview`);
    replace(previewLink);
    say(t("previews_revoked"), "success");
  } catch (error) {
    if (error.status !== 401) say(error.message, "error");
  }
}

/** 预览 and 撤销预览链接 with the paragraph showing the link; `save()` resolves to the saved article or null. */
export function previewControls(save, current) {
  const previewLink = h("p", { class: "preview-link" });
  const previewButton = h("button", { type: "button", "data-action": "preview" }, t("preview"));
  const revokeButton = h("button", { type: "button", class: "danger-outline" }, t("revoke_previews"));
  previewButton.addEventListener("click", () => openPreview(save, previewLink));
  revokeButton.addEventListener("click", () => revokePreviews(current(), previewLink));
  return { previewLink, previewButton, revokeButton };
}
