// Staff photos for the waiting page, through sharp (libvips): whatever was uploaded is decoded,
// turned upright by its EXIF orientation, cropped to a square around what draws the eye, and
// re-encoded as a small WebP. Nothing of the original file survives: no EXIF (camera, GPS
// position, dates), no ICC or XMP, no trailing bytes — sharp writes no metadata unless asked.
import type { Sharp, SharpOptions } from "sharp";

/** The side of the stored square, in pixels: twice the size the page shows it at. */
const photoSide = 256;

/** Refuses decompression bombs: a 5 MiB upload may still claim billions of pixels. */
const maxInputPixels = 40_000_000;

/** sharp (and libvips with it) is loaded at the first photo, not at start-up. */
let loaded: Promise<(input: Buffer, options: SharpOptions) => Sharp> | null = null;
function loadSharp() {
  loaded ??= import("sharp").then(({ default: sharp }) => {
    // Each photo is read once: libvips's operation cache would only hold memory.
    sharp.cache(false);
    return sharp;
  });
  return loaded;
}

export class NotAnImage extends Error {}

/** The upload, re-encoded; NotAnImage when it is not a picture sharp can read. */
export async function normalisePhoto(upload: Buffer): Promise<Buffer> {
  const sharp = await loadSharp();
  try {
    return await sharp(upload, { limitInputPixels: maxInputPixels, failOn: "error" })
      .rotate()
      .resize(photoSide, photoSide, { fit: "cover", position: "attention" })
      .webp({ quality: 80 })
      .toBuffer();
  } catch (err) {
    throw new NotAnImage(err instanceof Error ? err.message : String(err));
  }
}
