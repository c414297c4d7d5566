// The JSON API under the site's base path, the editor's token in sessionStorage, and the app's settings.

import { codeOf, refusalText } from "./messages.js";

const root = document.getElementById("app");

export const config = {
  siteName: root.dataset.siteName,
  language: root.dataset.language,
  basePath: root.dataset.basePath,
  apiBase: root.dataset.apiBase,
  mediaOrigin: root.dataset.mediaOrigin,
  timezone: root.dataset.timezone,
  homeUrl: root.dataset.homeUrl,
};

const SESSION_KEY = "newsroom.session";

/** A refused or failed call; `message` is in the editor's language (worded from the answer's `code`). */
export class ApiError extends Error {
  constructor(status, body) {
    super(refusalText(status, body));
    this.status = status;
    this.body = body || {};
    this.field = this.body.field;
    this.code = codeOf(status, body);
  }
}

/** {token, username, role, expires_at} or null. */
export function currentSession() {
  try {
    const saved = JSON.parse(sessionStorage.getItem(SESSION_KEY) || "null");
    if (saved && saved.token && (!saved.expires_at || Date.parse(saved.expires_at) > Date.now())) return saved;
  } catch {
    // a damaged entry is no session
  }
  return null;
}

export function saveSession(session) {
  sessionStorage.setItem(SESSION_KEY, JSON.stringify(session));
}

export function forgetSession() {
  sessionStorage.removeItem(SESSION_KEY);
}

/**
 * Call the API; a 401 on any call but the login ends the session and tells the app (event "session-expired"),
 * once: only while the refused token is still the one held. Other refusals (of calls sent with the same token
 * or with none, or answered only after the editor logged in again) leave the login form and the new session alone.
 */
export async function api(method, path, body, extraHeaders = {}) {
  const session = currentSession();
  const headers = { Accept: "application/json", ...extraHeaders };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (session) headers.Authorization = `Bearer ${session.token}`;
  let response;
  try {
    response = await fetch(config.apiBase + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "omit",
      cache: "no-store",
    });
  } catch {
    throw new ApiError(0, { code: "network" });
  }
  const data = response.status === 204 ? null : await response.json().catch(() => null);
  const held = currentSession();
  if (response.status === 401 && session && held && held.token === session.token && path !== "/session") {
    forgetSession();
    window.dispatchEvent(new CustomEvent("session-expired"));
  }
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

/** Log in: the session is kept for this tab only. */
export async function logIn(username, password) {
  const answer = await api("POST", "/session", { username, password });
  const session = {
    token: answer.token,
    expires_at: answer.expires_at,
    username,
    role: answer.role,
    idle_minutes: answer.idle_minutes,
    must_change_password: Boolean(answer.must_change_password),
  };
  saveSession(session);
  return session;
}

export async function logOut() {
  try {
    await api("DELETE", "/session");
  } catch {
    // the token is forgotten here whatever the server says
  }
  forgetSession();
}
