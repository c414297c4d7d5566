// A local copy of what is being written, per editor and article, so nothing typed is lost to a failed save,
// a closed tab or an expired session. Dropped once the server has it, when the editor discards it
// (放弃本机草稿), and at logout: on a shared office computer, the next editor never sees another's text.

import { currentSession } from "./api.js";

const PREFIX = "newsroom.draft:"; // newsroom.draft:<username>:<article id | new>
const LEGACY_PREFIX = "newsroom.draft."; // copies from before they were per editor: anyone's, never shown

// The editor whose copies these are; kept after the session ends (an expired session's copy is restored
// to the same editor after the login).
let owner = null;

function editorName() {
  const session = currentSession();
  if (session) owner = session.username;
  return owner || "";
}

function key(articleId) {
  return `${PREFIX}${editorName()}:${articleId || "new"}`;
}

export function keepDraft(articleId, draft) {
  try {
    localStorage.setItem(key(articleId), JSON.stringify({ ...draft, kept_at: new Date().toISOString() }));
  } catch {
    // storage full or disabled: the editor still has the page
  }
}

export function loadDraft(articleId) {
  try {
    return JSON.parse(localStorage.getItem(key(articleId)) || "null");
  } catch {
    return null;
  }
}

export function dropDraft(articleId) {
  localStorage.removeItem(key(articleId));
}

function ownKeys() {
  const mine = `${PREFIX}${editorName()}:`;
  return Object.keys(localStorage).filter((k) => k.startsWith(mine));
}

/** Whether this editor has unsaved work kept on this computer. */
export function hasDrafts() {
  return ownKeys().length > 0;
}

/** At logout: this editor's copies, and any from before copies were per editor. */
export function clearDrafts() {
  for (const name of [...ownKeys(), ...Object.keys(localStorage).filter((k) => k.startsWith(LEGACY_PREFIX))]) {
    localStorage.removeItem(name);
  }
  owner = null;
}
