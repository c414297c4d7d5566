// 操作记录 (admins): the audit trail by person, article, action and date, and its CSV export.

import { api, config, currentSession } from "./api.js";
import { say } from "./app.js";
import { field, h, replace, select } from "./dom.js";
import { formatDateTime, t } from "./i18n.js";

const ACTIONS = ["login", "logout", "password.change", "article.create", "article.save", "article.publish", "article.unpublish", "article.delete", "article.submit", "article.review", "article.restore", "article.untrash", "article.purge", "photo.upload", "photo.delete", "attachment.upload", "import", "editor.create", "editor.update", "category.put", "category.delete", "settings.change", "topic.put"];

function query(inputs) {
  const params = new URLSearchParams();
  for (const [name, input] of Object.entries(inputs)) if (input.value) params.set(name, input.value);
  return params.toString();
}

async function download(path) {
  const session = currentSession();
  const response = await fetch(config.apiBase + path, { headers: { Authorization: `Bearer ${session.token}` }, cache: "no-store" });
  if (!response.ok) throw new Error(t("failed"));
  const link = h("a", { href: URL.createObjectURL(await response.blob()), download: "audit.csv" });
  document.body.append(link);
  link.click();
  link.remove();
}

export function showAudit(main) {
  const inputs = {
    actor: h("input", { name: "actor" }),
    object: h("input", { name: "object" }),
    action: select([["", t("all")], ...ACTIONS.map((a) => [a, a])], ""),
    since: h("input", { name: "since", type: "date" }),
  };
  const rows = h("tbody");
  const search = h("button", { type: "submit", class: "primary" }, t("search"));
  const exportCsv = h("button", { type: "button" }, t("export_csv"));
  const form = h(
    "form",
    { class: "audit-filters" },
    field(t("audit_actor"), inputs.actor),
    field(t("audit_object"), inputs.object),
    field(t("audit_action"), inputs.action),
    field(t("audit_since"), inputs.since),
    h("div", { class: "actions" }, search, exportCsv),
  );
  async function load() {
    const { records } = await api("GET", `/audit?${query(inputs)}`);
    replace(
      rows,
      records.map((r) =>
        h("tr", { class: `audit-${r.result}` }, [formatDateTime(r.at), r.actor, r.action, r.object, t(`result_${r.result}`), r.client, r.detail || ""].map((c) => h("td", {}, c))),
      ),
    );
  }
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    load().catch((error) => error.status !== 401 && say(error.message, "error"));
  });
  exportCsv.addEventListener("click", () => download(`/audit.csv?${query(inputs)}`).catch((error) => say(error.message, "error")));
  const head = h("tr", {}, [t("audit_at"), t("audit_actor"), t("audit_action"), t("audit_object"), t("audit_result"), t("audit_client"), t("audit_detail")].map((c) => h("th", { scope: "col" }, c)));
  replace(main, h("div", { class: "page-head" }, h("h1", {}, t("audit"))), form, h("table", { class: "audit" }, h("thead", {}, head), rows));
  load().catch((error) => error.status !== 401 && say(error.message, "error"));
}
