// Preview, publish now or at a time in the site's time zone, unpublish; publishing refusals name blocks.

import { api, config } from "./api.js";
import { previewControls } from "./preview_qr.js";
import { say } from "./app.js";
import { field, h, replace } from "./dom.js";
import { formatDateTime, t } from "./i18n.js";
import { articleState } from "./articles.js";
import { reviewMessage } from "./workflow_panel.js";

/** "2026-05-01T09:30" in the site's zone, for a datetime-local input, from an ISO moment. */
export function siteLocalInput(iso) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-CA", {
      timeZone: config.timezone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    })
      .formatToParts(new Date(iso))
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}

/**
 * The publishing panel. `save()` saves (resolving to the saved article or null), `current()` is the
 * saved article or null, `refused(indices, field)` marks the blocks a refusal names, `updated(article)`
 * takes the article a publishing call returned.
 */
export function createPublishPanel({ save, current, refused, updated }) {
  const state = h("p", { class: "publish-state" });
  const when = h("input", { type: "datetime-local", name: "published_at" });
  const { previewLink, previewButton, revokeButton } = previewControls(save, current);
  const publishButton = h("button", { type: "button", class: "primary", "data-action": "publish" }, t("publish"));
  const scheduleButton = h("button", { type: "button" }, t("schedule"));
  const unpublishButton = h("button", { type: "button", class: "danger-outline" }, t("unpublish"));

  async function publish(publishedAt) {
    const article = await save();
    if (!article) return;
    refused([], null);
    try {
      const body = publishedAt ? { published_at: `${publishedAt}:00` } : {};
      const answer = await api("POST", `/articles/${encodeURIComponent(article.id)}/publish`, body);
      updated(answer);
      const pending = answer.pending_photos || [];
      const done = answer.scheduled ? t("scheduled_at", { when: formatDateTime(answer.published_at) }) : t("published");
      say(pending.length ? `${done} ${t("pending_photos", { n: pending.length })}` : done, "success");
    } catch (error) {
      if (error.status === 401) return;
      if (error.status === 409 && (error.body.blocks || error.field === "cover_photo_id")) {
        refused(error.body.blocks || [], error.field);
        const where = (error.body.blocks || []).map((i) => i + 1).join(t("list_separator"));
        say(error.field === "cover_photo_id" ? t("refused_cover") : t("refused_blocks", { blocks: where }), "error");
      } else {
        say(error.field === "published_at" ? t("bad_time") : reviewMessage(error) || error.message, "error");
      }
    }
  }

  publishButton.addEventListener("click", () => publish(null));
  scheduleButton.addEventListener("click", () => {
    if (!when.value) {
      say(t("pick_time"), "error");
      when.focus();
      return;
    }
    publish(when.value);
  });
  unpublishButton.addEventListener("click", async () => {
    const article = current();
    if (!article || !window.confirm(t("confirm_unpublish"))) return;
    try {
      updated(await api("POST", `/articles/${encodeURIComponent(article.id)}/unpublish`));
      say(t("unpublished"), "success");
    } catch (error) {
      if (error.status !== 401) say(error.message, "error");
    }
  });

  const element = h(
    "section",
    { class: "panel publish", "aria-labelledby": "publish-title" },
    h("h2", { id: "publish-title" }, t("publishing")),
    state,
    h("div", { class: "actions" }, previewButton, publishButton, revokeButton),
    field(t("publish_at"), when, t("timezone_hint", { zone: config.timezone })),
    h("div", { class: "actions" }, scheduleButton, unpublishButton),
    previewLink,
  );

  return {
    element,
    /** Show the saved article's status. */
    show(article) {
      const status = article ? articleState(article) : "new";
      const text = [t(`status_${status}`)];
      if (article && article.status === "published") text.push(formatDateTime(article.published_at));
      replace(state, h("span", { class: `badge badge-${status}` }, text[0]), text[1] ? ` ${text[1]}` : "");
      if (article && article.status === "published" && article.url && status === "published") {
        state.append(" ", h("a", { href: article.url, target: "_blank", rel: "noopener" }, t("read")));
      }
      unpublishButton.disabled = !article || article.status !== "published";
      if (article && article.scheduled && article.published_at) when.value = siteLocalInput(article.published_at);
    },
  };
}
