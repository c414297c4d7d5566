// A local copy of what is being written, per article, so nothing typed is lost to a failed save,
// a closed tab or an expired session. Dropped once the server has it.

const PREFIX = "newsroom.draft.";

function key(articleId) {
  return PREFIX + (articleId || "new");
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
