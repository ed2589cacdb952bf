// Sending a file the API granted an upload for (a presigned S3 POST), and a phone's photo made
// fit for it first: a document photographed on a mid-range phone is 3–8 MB, a minute or more
// on 3G; at 2,000 px on its long side it stays legible and weighs a few hundred KB.
import type { components } from "./api/schema.gen";

type Form = components["schemas"]["UploadForm"];

/** The long side, in pixels, of a photo as it is sent. */
export const MAX_SIDE = 2000;

/** The size a `width` × `height` image is sent at: its long side at most `max`, never enlarged. */
export function fitted(width: number, height: number, max = MAX_SIDE): { width: number; height: number } {
  const scale = Math.min(1, max / Math.max(width, height));
  return { width: Math.round(width * scale), height: Math.round(height * scale) };
}

/** A photo made fit to send (JPEG, `MAX_SIDE` at most, turned as the camera held it); a PDF, a
 * file the browser cannot read as an image, or an image already small enough, as it is. */
export async function shrink(file: File): Promise<Blob> {
  if (!file.type.startsWith("image/")) return file;
  const bitmap = await createImageBitmap(file, { imageOrientation: "from-image" }).catch(() => null);
  if (!bitmap) return file; // the server says what is wrong with it
  const size = fitted(bitmap.width, bitmap.height);
  if (size.width === bitmap.width && file.size <= 1_000_000) return file;
  const canvas = document.createElement("canvas");
  canvas.width = size.width;
  canvas.height = size.height;
  canvas.getContext("2d")?.drawImage(bitmap, 0, 0, size.width, size.height);
  bitmap.close();
  return new Promise((resolve) => canvas.toBlob((blob) => resolve(blob ?? file), "image/jpeg", 0.85));
}

/** Send `file` with the grant's form: its fields first, the file last (S3's rule). */
export async function post(upload: Form, file: Blob): Promise<boolean> {
  const form = new FormData();
  for (const [name, value] of Object.entries(upload.fields)) form.append(name, value);
  form.append("file", file);
  const reply = await fetch(upload.url, { method: "POST", body: form });
  return reply.ok;
}
