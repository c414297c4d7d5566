// The idle timeout (等保): while the editor types or clicks, the token is renewed now and then; a session left
// alone for the server's idle minutes ends (what was typed stays in the local draft, restored after login).

import { api, currentSession, saveSession } from "./api.js";

const RENEW_AFTER_MS = 5 * 60 * 1000; // at most one renewal every five minutes of work
let lastRenewal = Date.now();
let renewing = false;

async function renew() {
  const session = currentSession();
  if (!session || session.must_change_password || renewing || Date.now() - lastRenewal < RENEW_AFTER_MS) return;
  renewing = true;
  try {
    const answer = await api("POST", "/session/refresh");
    saveSession({ ...session, token: answer.token, expires_at: answer.expires_at });
    lastRenewal = Date.now();
  } catch {
    // a 401 has already ended the session (api.js); anything else: try again at the next activity
  } finally {
    renewing = false;
  }
}

export function keepSessionAlive() {
  for (const kind of ["keydown", "pointerdown", "input"]) document.addEventListener(kind, renew, { passive: true });
}
