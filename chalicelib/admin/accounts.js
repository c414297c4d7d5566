// Accounts: admins create editors, reset passwords and disable accounts; everyone changes their own password.

import { api, currentSession, saveSession } from "./api.js";
import { say } from "./app.js";
import { field, h, replace, select } from "./dom.js";
import { formatDateTime, t } from "./i18n.js";

/** A change to an account (PUT /api/editors/{username}); on success say `message` and reload the list. */
async function update(username, changes, message, reload) {
  try {
    await api("PUT", `/editors/${encodeURIComponent(username)}`, changes);
    say(message, "success");
    reload();
  } catch (error) {
    if (error.status !== 401) say(error.message, "error");
  }
}

/** One account: a new password to set, and 停用/启用 (asking first before disabling; never oneself). */
function editorRow(editor, reload) {
  const me = editor.username === currentSession()?.username;
  const password = h("input", { type: "password", autocomplete: "new-password", minlength: "10", "aria-label": `${t("new_password")} ${editor.username}` });
  const reset = h("button", { type: "button" }, t("reset_password"));
  reset.addEventListener("click", () => {
    if (password.value.length < 10) {
      say(t("password_short"), "error");
      password.focus();
      return;
    }
    update(editor.username, { password: password.value }, t("password_reset", { name: editor.username }), reload);
  });
  const toggle = h("button", { type: "button", class: editor.disabled ? "" : "danger-outline", disabled: me }, editor.disabled ? t("enable") : t("disable"));
  toggle.addEventListener("click", () => {
    if (!editor.disabled && !window.confirm(t("confirm_disable", { name: editor.username }))) return;
    update(editor.username, { disabled: !editor.disabled }, t(editor.disabled ? "enabled_editor" : "disabled_editor", { name: editor.username }), reload);
  });
  return h(
    "tr",
    { class: editor.disabled ? "disabled" : "" },
    h("td", {}, editor.username),
    h("td", {}, t(`role_${editor.role}`)),
    h("td", {}, editor.disabled ? t("disabled") : t("active")),
    h("td", { class: "nowrap" }, formatDateTime(editor.created_at)),
    h("td", { class: "row-actions" }, password, reset, toggle),
  );
}

/** 新建账号: username, password and role. */
function newEditorForm(reload) {
  const username = h("input", { type: "text", required: true, autocomplete: "off" });
  const password = h("input", { type: "password", required: true, minlength: "10", autocomplete: "new-password" });
  const role = select(["contributor", "reviewer", "editor", "admin"].map((r) => [r, t(`role_${r}`)]), "editor");
  const form = h(
    "form",
    { class: "panel inline-form", "aria-labelledby": "new-editor" },
    h("h2", { id: "new-editor" }, t("new_editor")),
    field(t("username"), username),
    field(t("password"), password, t("password_hint")),
    field(t("role"), role),
    h("button", { type: "submit", class: "primary" }, t("create")),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      await api("POST", "/editors", { username: username.value.trim(), password: password.value, role: role.value });
      say(t("editor_created", { name: username.value.trim() }), "success");
      form.reset();
      reload();
    } catch (error) {
      if (error.status !== 401) say(error.message, "error");
    }
  });
  return form;
}

export function showEditors(main) {
  const list = h("div", { class: "table-wrap" });
  let alive = true;

  async function load() {
    try {
      const answer = await api("GET", "/editors");
      if (!alive) return;
      const heads = [t("username"), t("role"), t("state"), t("created"), ""].map((c) => h("th", { scope: "col" }, c));
      const rows = (answer.editors || []).map((editor) => editorRow(editor, load));
      replace(list, h("table", { class: "editors" }, h("thead", {}, h("tr", {}, heads)), h("tbody", {}, rows)));
    } catch (error) {
      if (error.status !== 401) say(error.status === 403 ? t("admins_only") : error.message, "error");
    }
  }

  replace(main, h("div", { class: "page-head" }, h("h1", {}, t("nav_editors"))), list, newEditorForm(load));
  load();
  return () => {
    alive = false;
  };
}

export function showPassword(main) {
  const current = h("input", { type: "password", required: true, autocomplete: "current-password" });
  const next = h("input", { type: "password", required: true, minlength: "10", autocomplete: "new-password" });
  const form = h(
    "form",
    { class: "panel narrow-form" },
    field(t("current_password"), current),
    field(t("new_password"), next, t("password_hint")),
    h("button", { type: "submit", class: "primary" }, t("change_password")),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      const answer = await api("PUT", "/me/password", { current_password: current.value, new_password: next.value });
      const session = currentSession() || {};
      saveSession({ ...session, token: answer.token, expires_at: answer.expires_at, role: answer.role || session.role, must_change_password: false });
      form.reset();
      say(t("password_changed"), "success");
    } catch (error) {
      if (error.status === 401) return;
      (error.field === "new_password" ? next : current).focus();
      say(error.field === "current_password" ? t("current_password_wrong") : error.message, "error");
    }
  });
  replace(main, h("div", { class: "page-head" }, h("h1", {}, t("nav_password"))), form);
}
