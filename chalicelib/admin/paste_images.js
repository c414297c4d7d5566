// Images in pasted HTML (Word, WPS, web pages, WeChat): an http(s) address is fetched by the server's safe
// fetcher (POST /api/photos/fetch, the WeChat import's); a data: image is uploaded as a file; anything else, or
// an image the server could not fetch, leaves a placeholder saying so, with 替换 to upload the file.

import "./housekeeping_labels.js";
import { api } from "./api.js";
import { t } from "./i18n.js";

const SHOWN_ADDRESS = 80; // characters of a long address shown in the placeholder

/** A data: URL's bytes as a file (decoded here: the page's CSP lets no fetch() read data: URLs). */
function dataFile(src, index) {
  const match = /^data:(image\/(?:jpeg|png|webp|gif));base64,(.*)$/is.exec(src);
  if (!match) return null;
  const bytes = Uint8Array.from(atob(match[2].replace(/\s/g, "")), (c) => c.charCodeAt(0));
  const extension = match[1].split("/")[1].replace("jpeg", "jpg");
  return new File([bytes], `粘贴的图片${index + 1}.${extension}`, { type: match[1].toLowerCase() });
}

function shortAddress(src) {
  return src.length > SHOWN_ADDRESS ? `${src.slice(0, SHOWN_ADDRESS)}…` : src;
}

async function bringIn(block, index, photos) {
  const src = block.src;
  delete block.src; // never saved: the block holds a photo id, or stays a placeholder
  if (/^data:/i.test(src)) {
    const file = dataFile(src, index);
    if (file) return photos.upload(block, file);
    return photos.showMissing(block, t("pasted_image"), t("image_not_fetched_type"));
  }
  if (!/^https?:\/\//i.test(src)) {
    return photos.showMissing(block, shortAddress(src), t("image_not_fetched_local"));
  }
  try {
    photos.adopt(block, await api("POST", "/photos/fetch", { url: src }));
  } catch (error) {
    if (error.status === 401) return undefined;
    photos.showMissing(block, shortAddress(src), t("image_not_fetched", { reason: error.message }));
  }
  return undefined;
}

/** Bring in the images of pasted photo blocks (`block.src`), one after another, in the order pasted. */
export async function bringInImages(blocks, photos) {
  for (const [index, block] of blocks.entries()) await bringIn(block, index, photos);
}
