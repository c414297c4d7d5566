// The media library: recent photos (GET /api/photos, newest first, paginated) to look at, reuse or delete
// (DELETE /api/photos/{id}: refused, naming the articles, while any shows the photo).

import "./housekeeping_labels.js";
import { api } from "./api.js";
import { say } from "./app.js";
import { h, replace } from "./dom.js";
import { formatDateTime, t } from "./i18n.js";
import { photoReason } from "./messages.js";
import { thumbnailUrl } from "./uploads.js";

/** 删除图片, asking first; the tile leaves the grid once the server has deleted the photo. */
function deleteButton(photo) {
  const name = photo.filename || photo.photo_id;
  const button = h("button", { type: "button", class: "quiet danger", "aria-label": t("delete_photo_named", { name }) }, t("delete_photo"));
  button.addEventListener("click", async () => {
    if (!window.confirm(t("confirm_delete_photo", { name }))) return;
    try {
      await api("DELETE", `/photos/${encodeURIComponent(photo.photo_id)}`);
      button.closest("li").remove();
      say(t("photo_deleted", { name }), "success");
    } catch (error) {
      if (error.status !== 401) say(error.message, "error");
    }
  });
  return button;
}

/** A grid of photos with a "more" button; `onPick(photo)` makes each a button. */
function photoGrid(onPick) {
  const grid = h("ul", { class: "library" });
  const more = h("button", { type: "button", hidden: true }, t("more_photos"));
  let cursor = null;

  async function load() {
    more.disabled = true;
    try {
      const params = cursor ? `?cursor=${encodeURIComponent(cursor)}` : "";
      const answer = await api("GET", `/photos${params}`);
      for (const photo of answer.photos || []) grid.append(tile(photo));
      cursor = answer.next_cursor;
      more.hidden = !cursor;
      if (!grid.children.length) grid.append(h("li", { class: "empty" }, t("no_photos")));
    } catch (error) {
      if (error.status !== 401) say(error.status === 404 || error.status === 405 ? t("library_missing") : error.message, "error");
    } finally {
      more.disabled = false;
    }
  }

  function tile(photo) {
    const src = photo.status === "ready" ? thumbnailUrl(photo) : null;
    const picture = src
      ? h("img", { src, alt: "", loading: "lazy" })
      : h("span", { class: `tile-state tile-${photo.status}` }, t(`photo_${photo.status}`));
    const caption = h(
      "span",
      { class: "tile-caption" },
      h("span", { class: "file-name" }, photo.filename || photo.photo_id),
      h("span", { class: "muted" }, formatDateTime(photo.created_at)),
      photo.reason ? h("span", { class: "reason" }, photoReason(photo)) : null,
    );
    if (onPick && photo.status === "ready") {
      return h(
        "li",
        {},
        h("button", { type: "button", class: "tile", onclick: () => onPick(photo), "aria-label": `${t("use_photo")} ${photo.filename || ""}` }, picture, caption),
      );
    }
    return h("li", {}, h("div", { class: "tile" }, picture, caption), deleteButton(photo));
  }

  more.addEventListener("click", load);
  load();
  return h("div", {}, grid, more);
}

export function showLibrary(main) {
  replace(main, h("div", { class: "page-head" }, h("h1", {}, t("nav_photos"))), h("p", { class: "hint" }, t("library_hint")), photoGrid(null));
}

/** A dialog to pick a photo from the library; `onPick(photo)` for each chosen. */
export function openLibrary(onPick) {
  const close = h("button", { type: "button", class: "quiet" }, t("close"));
  const dialog = h(
    "dialog",
    { class: "library-dialog", "aria-labelledby": "library-title" },
    h("div", { class: "dialog-head" }, h("h2", { id: "library-title" }, t("from_library")), close),
    photoGrid((photo) => {
      onPick(photo);
      say(t("photo_added", { name: photo.filename || photo.photo_id }), "success");
    }),
  );
  close.addEventListener("click", () => dialog.close());
  dialog.addEventListener("close", () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
}
