// The preview link's QR code (POST /api/qr, made by the server with segno), so a reviewer opens it on a phone.

import "./housekeeping_labels.js";
import { api } from "./api.js";
import { h } from "./dom.js";
import { t } from "./i18n.js";

/** A figure with the QR code of `url`, or null when it could not be made (the link itself is still shown). */
export async function previewQr(url) {
  try {
    const answer = await api("POST", "/qr", { url });
    return h("figure", { class: "preview-qr" }, h("img", { src: answer.svg, alt: t("preview_qr_alt") }), h("figcaption", { class: "muted" }, t("preview_qr_hint")));
  } catch {
    return null;
  }
}
