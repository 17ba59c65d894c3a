import type { BadgePreview } from '../../core/badge/views';

/** The badge as it will print: the station's own render (badge.preview), not a re-drawing in the page. */
export function BadgeImage({ preview, label }: { preview: BadgePreview; label: string }) {
  return (
    <img
      className="badge-preview"
      src={`data:image/png;base64,${preview.png}`}
      width={preview.width}
      height={preview.height}
      alt={label}
    />
  );
}
