// Photo statuses in one request (GET /api/photos/status?ids=…, up to 100 a request): one poller for all
// of an editor's photos being processed, and one look for every photo of an opened article.

import { api } from "./api.js";

const POLL_FIRST_MS = 700;
const POLL_MAX_MS = 3000;
const IDS_PER_REQUEST = 100;

function wait(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** id -> photo for the ids that exist (those missing were deleted or never made). */
export async function lookUpPhotos(ids) {
  const unique = [...new Set(ids)];
  const found = {};
  for (let start = 0; start < unique.length; start += IDS_PER_REQUEST) {
    const chunk = unique.slice(start, start + IDS_PER_REQUEST);
    const answer = await api("GET", `/photos/status?ids=${chunk.map(encodeURIComponent).join(",")}`);
    for (const photo of answer.photos || []) found[photo.photo_id] = photo;
  }
  return found;
}

/**
 * One poller for many jobs ({photo_id, ...}): `watch(job)` until its photo is ready or rejected, then
 * `onDone(job, photo)`. Every round asks for all watched photos at once, slowing down while nothing changes.
 */
export function createStatusPoller(onDone) {
  const watched = new Set();
  let running = false;
  let stopped = false;
  let delay = POLL_FIRST_MS;

  async function round() {
    let found;
    try {
      found = await lookUpPhotos([...watched].map((job) => job.photo_id));
    } catch (error) {
      if (error.status === 401) stopped = true;
      return; // a failed look: look again
    }
    for (const job of [...watched]) {
      const photo = found[job.photo_id];
      if (photo && (photo.status === "ready" || photo.status === "rejected")) {
        watched.delete(job);
        delay = POLL_FIRST_MS;
        onDone(job, photo);
      }
    }
  }

  async function loop() {
    running = true;
    while (!stopped && watched.size) {
      await wait(delay);
      delay = Math.min(POLL_MAX_MS, delay * 1.5);
      if (!stopped && watched.size) await round();
    }
    running = false;
  }

  return {
    watch(job) {
      watched.add(job);
      delay = POLL_FIRST_MS;
      if (!running) loop();
    },
    stop() {
      stopped = true;
      watched.clear();
    },
  };
}
