/**
 * Writes a Windows .ico from square RGBA images. Sizes below 256 are stored as 32-bit DIBs (what every Windows
 * shell and NSIS read), 256 as PNG (what Windows expects at that size and keeps the file small). Hand-written because
 * the container is a 6-byte header and a 16-byte directory entry per image; the npm packages that do it pull in
 * their own @types/node major.
 */
export interface IcoImage {
  size: number;
  /** Straight (not premultiplied) RGBA, rows top to bottom. */
  rgba: Uint8Array;
  /** The same image as PNG, used for 256 px. */
  png: Uint8Array;
}

function dib({ size, rgba }: IcoImage): Buffer {
  const maskStride = Math.ceil(size / 32) * 4;
  const header = Buffer.alloc(40);
  header.writeUInt32LE(40, 0); // BITMAPINFOHEADER
  header.writeInt32LE(size, 4);
  header.writeInt32LE(size * 2, 8); // XOR image + AND mask, as ICO requires
  header.writeUInt16LE(1, 12); // planes
  header.writeUInt16LE(32, 14); // bits per pixel
  header.writeUInt32LE(size * size * 4 + maskStride * size, 20);
  const pixels = Buffer.alloc(size * size * 4);
  for (let y = 0; y < size; y++) {
    const row = size - 1 - y; // DIB rows run bottom-up
    for (let x = 0; x < size; x++) {
      const s = (y * size + x) * 4;
      const d = (row * size + x) * 4;
      pixels[d] = rgba[s + 2]!; // BGRA
      pixels[d + 1] = rgba[s + 1]!;
      pixels[d + 2] = rgba[s]!;
      pixels[d + 3] = rgba[s + 3]!;
    }
  }
  // With 32-bit pixels the alpha channel decides transparency; the AND mask stays clear.
  return Buffer.concat([header, pixels, Buffer.alloc(maskStride * size)]);
}

export function encodeIco(images: IcoImage[]): Buffer {
  const sorted = [...images].sort((a, b) => a.size - b.size);
  for (const i of sorted) {
    if (!Number.isInteger(i.size) || i.size < 1 || i.size > 256)
      throw new Error(`an ICO image is 1..256 px, not ${i.size}`);
    if (i.rgba.length !== i.size * i.size * 4)
      throw new Error(`the ${i.size} px image has ${i.rgba.length} bytes of RGBA, not ${i.size * i.size * 4}`);
  }
  const bodies = sorted.map((i) => (i.size === 256 ? Buffer.from(i.png) : dib(i)));
  const head = Buffer.alloc(6);
  head.writeUInt16LE(0, 0);
  head.writeUInt16LE(1, 2); // 1 = icon
  head.writeUInt16LE(sorted.length, 4);
  const dir = Buffer.alloc(16 * sorted.length);
  let offset = head.length + dir.length;
  sorted.forEach((img, n) => {
    const e = n * 16;
    dir.writeUInt8(img.size === 256 ? 0 : img.size, e); // 0 means 256
    dir.writeUInt8(img.size === 256 ? 0 : img.size, e + 1);
    dir.writeUInt8(0, e + 2); // no palette
    dir.writeUInt8(0, e + 3);
    dir.writeUInt16LE(1, e + 4); // planes
    dir.writeUInt16LE(32, e + 6); // bits per pixel
    dir.writeUInt32LE(bodies[n]!.length, e + 8);
    dir.writeUInt32LE(offset, e + 12);
    offset += bodies[n]!.length;
  });
  return Buffer.concat([head, dir, ...bodies]);
}
