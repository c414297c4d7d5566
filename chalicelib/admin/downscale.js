// Photos made smaller in the browser before they are uploaded: a JPEG or WebP wider than the largest rendition
// (chalicelib/imaging.py RENDITION_WIDTHS: 1600 px) is redrawn at that width, turned as its EXIF orientation
// says, and encoded again at quality 0.92, so a phone uploads about a tenth of a camera's bytes
// (bench/upload_downscale.py). Anything else, or a result no smaller, is uploaded as it is.

export const LARGEST_RENDITION = 1600;
export const QUALITY = 0.92;
const TYPES = ["image/jpeg", "image/webp"];

/** The file to upload for `file`: itself, or a smaller copy of the same name and type. */
export async function downscaled(file, type = file.type) {
  if (!TYPES.includes(type) || typeof createImageBitmap !== "function" || typeof OffscreenCanvas !== "function") return file;
  let bitmap;
  try {
    bitmap = await createImageBitmap(file, { imageOrientation: "from-image" }); // as the camera held it
  } catch {
    return file; // not decodable here: the server says why
  }
  try {
    if (bitmap.width <= LARGEST_RENDITION) return file;
    const width = LARGEST_RENDITION;
    const height = Math.max(1, Math.round((bitmap.height * width) / bitmap.width));
    const canvas = new OffscreenCanvas(width, height);
    const context = canvas.getContext("2d");
    context.imageSmoothingQuality = "high";
    context.drawImage(bitmap, 0, 0, width, height);
    const blob = await canvas.convertToBlob({ type, quality: QUALITY });
    return blob.size < file.size ? new File([blob], file.name, { type, lastModified: file.lastModified }) : file;
  } catch {
    return file;
  } finally {
    bitmap.close();
  }
}
