/** The largest canvas side browsers draw reliably; a taller range is refused with a message. */
export const MAX_CANVAS_SIDE = 16_000;

/**
 * Rasterises a standalone SVG document (its width and height attributes give the size) to PNG, at
 * `scale` device pixels per SVG pixel, scaled down if that would pass MAX_CANVAS_SIDE.
 */
export async function svgToPng(svg: string, scale = 2): Promise<Blob> {
  const size = /<svg[^>]*\swidth="(\d+(?:\.\d+)?)"[^>]*\sheight="(\d+(?:\.\d+)?)"/.exec(svg);
  if (size === null) throw new Error('the SVG has no width and height');
  const width = Number(size[1]);
  const height = Number(size[2]);
  const s = Math.min(scale, MAX_CANVAS_SIDE / width, MAX_CANVAS_SIDE / height);
  if (s < 0.5)
    throw new Error(
      `the range is too long for one image (${Math.round(height)} px tall): choose fewer steps`,
    );
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  try {
    const img = new Image();
    img.decoding = 'sync';
    await new Promise<void>((resolve, reject) => {
      img.onload = () => resolve();
      img.onerror = () => reject(new Error('the browser could not draw the SVG'));
      img.src = url;
    });
    const canvas = document.createElement('canvas');
    canvas.width = Math.ceil(width * s);
    canvas.height = Math.ceil(height * s);
    const ctx = canvas.getContext('2d');
    if (ctx === null) throw new Error('no 2D canvas in this browser');
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.scale(s, s);
    ctx.drawImage(img, 0, 0, width, height);
    return await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob((b) => (b === null ? reject(new Error('PNG encoding failed')) : resolve(b)), 'image/png'),
    );
  } finally {
    URL.revokeObjectURL(url);
  }
}
