// Photos go from the browser straight to S3 through the presigned POST (never through the API),
// a few at a time, each reporting its progress; then the photo records being processed are polled together
// (photo_status.js: one request for all of them) until processing says ready (renditions) or rejected.

import { api } from "./api.js";
import { downscaled } from "./downscale.js";
import { wordCode } from "./messages.js";
import { createStatusPoller } from "./photo_status.js";

const PARALLEL = 3;
const TYPES = { jpg: "image/jpeg", jpeg: "image/jpeg", png: "image/png", webp: "image/webp" };

export function contentType(file) {
  if (Object.values(TYPES).includes(file.type)) return file.type;
  const extension = (file.name.split(".").pop() || "").toLowerCase();
  return TYPES[extension] || file.type || "application/octet-stream";
}

/** The smallest rendition at least `width` wide (JPEG, which every browser shows), or the largest. */
export function thumbnailUrl(photo, width = 320) {
  const jpegs = (photo.renditions || []).filter((r) => r.format === "jpg" || r.format === "jpeg" || /\.jpg$/.test(r.url));
  const list = (jpegs.length ? jpegs : photo.renditions || []).slice().sort((a, b) => a.width - b.width);
  return (list.find((r) => r.width >= width) || list[list.length - 1] || {}).url || null;
}

function postToBucket(upload, file, type, onProgress) {
  return new Promise((resolve, reject) => {
    const form = new FormData();
    for (const [name, value] of Object.entries(upload.fields)) form.append(name, value);
    form.set("Content-Type", type);
    form.append("file", file);
    const request = new XMLHttpRequest();
    request.open("POST", upload.url);
    request.upload.addEventListener("progress", (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    });
    request.addEventListener("load", () => {
      if (request.status >= 200 && request.status < 300) resolve();
      else reject(new Error(wordCode("upload_refused")));
    });
    request.addEventListener("error", () => reject(new Error(wordCode("upload_network"))));
    request.addEventListener("abort", () => reject(new Error(wordCode("upload_network"))));
    request.send(form);
  });
}

/** The file's SHA-256 in hex, so the same file is one photo (none where the browser cannot hash: not https). */
async function contentHash(file) {
  if (!globalThis.crypto || !crypto.subtle || !file.arrayBuffer) return null;
  try {
    const digest = await crypto.subtle.digest("SHA-256", await file.arrayBuffer());
    return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
  } catch {
    return null;
  }
}

/**
 * A queue of uploads. Each job reports through `onChange(job)`; a job is
 * {file, state: queued|uploading|processing|ready|rejected|failed, progress, photo_id?, photo?, reason?}.
 */
export function createUploader(onChange) {
  const queue = [];
  let running = 0;
  let stopped = false;

  function update(job, changes) {
    Object.assign(job, changes);
    if (!stopped) onChange(job);
  }

  const poller = createStatusPoller((job, found) => {
    const photo = job.reused ? { ...found, filename: job.file.name || found.filename } : found;
    update(job, { state: photo.status, photo, reason: photo.reason });
  });

  async function run(job) {
    const type = contentType(job.file);
    try {
      const file = await downscaled(job.file, type); // no wider than the largest rendition needs
      const sha256 = await contentHash(file);
      const started = await api("POST", "/photos", { filename: job.file.name || "photo", content_type: type, size: file.size, ...(sha256 ? { sha256 } : {}) });
      if (started.reused) {
        reuse(job, started);
        return;
      }
      update(job, { state: "uploading", photo_id: started.photo_id, progress: 0 });
      await postToBucket(started.upload, file, type, (progress) => update(job, { progress }));
      update(job, { state: "processing", progress: 1 });
    } catch (error) {
      update(job, { state: "failed", reason: error.message });
      return;
    }
    poller.watch(job);
  }

  /** The library already has this content: that photo, without uploading it again. */
  function reuse(job, found) {
    const photo = { ...found, filename: job.file.name || found.filename }; // the editor sees the file they chose
    const done = photo.status === "ready" || photo.status === "rejected";
    update(job, { state: done ? photo.status : "processing", photo_id: photo.photo_id, photo, reason: photo.reason, reused: true, progress: 1 });
    if (!done) poller.watch(job);
  }

  function pump() {
    while (!stopped && running < PARALLEL && queue.length) {
      const job = queue.shift();
      running += 1;
      run(job).finally(() => {
        running -= 1;
        pump();
      });
    }
  }

  return {
    /** Queue files in order; returns their jobs. */
    add(files) {
      const jobs = files.map((file) => ({ file, state: "queued", progress: 0 }));
      queue.push(...jobs);
      for (const job of jobs) onChange(job);
      pump();
      return jobs;
    },
    /** Watch a photo that was uploaded before (a reopened article, the library). */
    watch(job) {
      poller.watch(job);
      return job;
    },
    stop() {
      stopped = true;
      queue.length = 0;
      poller.stop();
    },
  };
}
