// The editors' app: layout, login, and a hash router over the views.

import { api, config, currentSession, logIn, logOut } from "./api.js";
import { h, field, replace } from "./dom.js";
import { setLanguage, t } from "./i18n.js";
import { clearDrafts, hasDrafts } from "./drafts.js";
import { showArticles } from "./articles.js";
import { showEditor } from "./editor.js";
import { showLibrary } from "./library.js";
import { showTrash } from "./trash.js";
import { showCategories } from "./categories.js";
import { showEditors, showPassword } from "./accounts.js";
import { showLinks } from "./links.js";
import { showSettings } from "./settings.js";
import { showTopics } from "./topics.js";
import { showInbox } from "./review_inbox.js";
import { showAudit } from "./audit_log.js";
import { showWordLists } from "./word_lists.js";
import { keepSessionAlive } from "./session_keeper.js";

setLanguage(config.language);

const root = document.getElementById("app");
const status = h("div", { class: "status", role: "status", "aria-live": "polite" });
const alert = h("div", { class: "alert", role: "alert", "aria-live": "assertive" });
const main = h("main", { id: "main", class: "main", tabindex: "-1" });
let leaveView = null; // the current view's clean-up

const KEPT_ERRORS = 4;

/**
 * Status messages for everyone, screen readers included. Errors go to the assertive region and stay
 * until the editor dismisses them (the next message does not erase them); other messages replace each other.
 */
export function say(message, kind = "info") {
  if (kind !== "error") {
    status.replaceChildren(h("p", { class: `message message-${kind}` }, message));
    return;
  }
  status.replaceChildren();
  for (const shown of alert.querySelectorAll(".message-text")) {
    if (shown.textContent === message) shown.closest(".message").remove(); // said again: moved to the end
  }
  const dismiss = h("button", { type: "button", class: "dismiss", "aria-label": t("dismiss"), title: t("dismiss") }, "×");
  const item = h("p", { class: "message message-error" }, h("span", { class: "message-text" }, message), dismiss);
  dismiss.addEventListener("click", () => item.remove());
  alert.append(item);
  while (alert.children.length > KEPT_ERRORS) alert.firstElementChild.remove();
}

/** Takes back an error that no longer holds (what it said failed has since worked). */
export function unsay(message) {
  for (const shown of alert.querySelectorAll(".message-text")) {
    if (shown.textContent === message) shown.closest(".message").remove();
  }
}

export function clearMessages() {
  status.replaceChildren();
  alert.replaceChildren();
}

export function navigate(hash) {
  if (location.hash === hash) route();
  else location.hash = hash;
}

function header(session) {
  const isAdmin = session.role === "admin";
  const links = [
    ["#/articles", t("nav_articles")],
    ["#/photos", t("nav_photos")],
    ["#/topics", t("nav_topics")],
    (isAdmin || session.role === "reviewer") && ["#/reviews", t("inbox")],
    isAdmin && ["#/categories", t("nav_categories")],
    isAdmin && ["#/editors", t("nav_editors")],
    isAdmin && ["#/settings", t("nav_settings")],
    isAdmin && ["#/links", t("nav_links")],
    isAdmin && ["#/audit", t("audit")],
    isAdmin && ["#/words", t("words")],
    ["#/password", t("nav_password")],
  ].filter(Boolean);
  return h(
    "header",
    { class: "topbar" },
    h("a", { class: "skip", href: "#main" }, t("skip")),
    h("div", { class: "brand" }, h("a", { href: "#/articles" }, config.siteName), h("span", {}, t("app_name"))),
    h(
      "nav",
      { "aria-label": t("app_name") },
      h("ul", {}, links.map(([href, text]) => h("li", {}, h("a", { href, "data-nav": href }, text)))),
    ),
    h(
      "div",
      { class: "who" },
      h("span", {}, `${session.username} · ${t(`role_${session.role}`)}`),
      h("a", { href: config.homeUrl, target: "_blank", rel: "noopener" }, t("view_site")),
      h("button", { type: "button", class: "quiet", title: t("logout_hint"), onclick: onLogOut }, t("logout")),
    ),
  );
}

/** Log out (every device: the server revokes all the editor's tokens), asking first when work is unsaved. */
async function onLogOut() {
  if (hasDrafts() && !window.confirm(t("confirm_logout_unsaved"))) return;
  if (leaveView) leaveView();
  leaveView = null;
  clearDrafts();
  await logOut();
  showLogin(t("logged_out"), "info");
}

function showLogin(message, kind = "error") {
  if (leaveView) leaveView();
  leaveView = null;
  const username = h("input", { name: "username", autocomplete: "username", required: true });
  const password = h("input", { name: "password", type: "password", autocomplete: "current-password", required: true });
  const submit = h("button", { type: "submit", class: "primary" }, t("login"));
  const form = h(
    "form",
    { class: "login card", novalidate: true },
    h("h1", {}, config.siteName),
    h("p", { class: "lead" }, t("login_lead")),
    field(t("username"), username),
    field(t("password"), password),
    submit,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!username.value.trim() || !password.value) {
      say(t("login_missing"), "error");
      (username.value.trim() ? password : username).focus();
      return;
    }
    submit.disabled = true;
    try {
      await logIn(username.value.trim(), password.value);
      clearMessages();
      start();
    } catch (error) {
      say(error.status === 429 ? t("login_locked") : error.message, "error");
      password.value = "";
      password.focus();
    } finally {
      submit.disabled = false;
    }
  });
  replace(root, h("main", { class: "login-page" }, status, alert, form));
  if (message) say(message, kind);
  username.focus();
}

function start() {
  const session = currentSession();
  if (!session) {
    showLogin();
    return;
  }
  replace(root, header(session), h("div", { class: "messages" }, status, alert), main);
  if (session.must_change_password) {
    navigate("#/password"); // an admin reset it: nothing else opens until the editor chooses their own
    say(t("must_change_password"), "error");
    return;
  }
  route();
}

const VIEWS = [
  [/^#\/articles\/new$/, () => showEditor(main, null)],
  [/^#\/articles\/([\w-]+)$/, (m) => showEditor(main, m[1])],
  [/^#\/photos$/, () => showLibrary(main)],
  [/^#\/trash$/, () => showTrash(main)],
  [/^#\/categories$/, () => showCategories(main)],
  [/^#\/editors$/, () => showEditors(main)],
  [/^#\/settings$/, () => showSettings(main)],
  [/^#\/links$/, () => showLinks(main)],
  [/^#\/topics$/, () => showTopics(main)],
  [/^#\/password$/, () => showPassword(main)],
  [/^#\/reviews$/, () => showInbox(main)],
  [/^#\/audit$/, () => showAudit(main)],
  [/^#\/words$/, () => showWordLists(main)],
  [/^#\/articles(?:\?.*)?$/, () => showArticles(main)],
];

function route() {
  if (!currentSession()) {
    showLogin();
    return;
  }
  if (!main.isConnected) {
    start();
    return;
  }
  const hash = location.hash || "#/articles";
  if (leaveView) leaveView();
  leaveView = null;
  clearMessages();
  for (const link of root.querySelectorAll("[data-nav]")) {
    const current = hash === link.dataset.nav || hash.startsWith(`${link.dataset.nav}/`);
    if (current) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  for (const [pattern, view] of VIEWS) {
    const match = hash.match(pattern);
    if (match) {
      leaveView = view(match) || null;
      return;
    }
  }
  navigate("#/articles");
}

window.addEventListener("hashchange", route);
window.addEventListener("session-expired", () => {
  // What was being written is in the local draft; the editor restores it after the login.
  if (leaveView) leaveView();
  leaveView = null;
  showLogin(t("session_expired"));
});

export { api };
keepSessionAlive();
start();
