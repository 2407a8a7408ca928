/**
 * Draws the two Teams app icons into appPackage/: a shield with a tick.
 *   color.png   192×192, full colour: white shield and tick on the app's accent blue.
 *   outline.png  32×32, white on transparent (Teams requires exactly that for the outline icon).
 *
 * The shapes are computed, not bitmaps, so the icons can be redrawn at any time with
 * `npx tsx scripts/draw-icons.ts` and always come out the same. Edges are anti-aliased by
 * supersampling each pixel.
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';

type Rgb = readonly [number, number, number];

/** The manifest's accentColor, #1B4F72. */
export const ACCENT: Rgb = [0x1b, 0x4f, 0x72];
const WHITE: Rgb = [0xff, 0xff, 0xff];

/**
 * Shield in unit coordinates (0..1 both ways, y down): straight sides for the upper half,
 * then two quadratic curves meeting at the point at the bottom.
 */
function insideShield(x: number, y: number, inset: number): boolean {
  const top = 0.08 + inset;
  const left = 0.16 + inset;
  const right = 0.84 - inset;
  const shoulder = 0.5;
  const bottom = 0.94 - inset * 1.6;
  if (y < top || y > bottom) return false;
  // A shallow dip in the top edge makes it read as a shield rather than a badge.
  const dip = 0.04 * Math.sin(Math.PI * Math.min(Math.max((x - left) / (right - left), 0), 1));
  if (y < top + dip) return false;
  if (y <= shoulder) return x >= left && x <= right;
  const t = (y - shoulder) / (bottom - shoulder); // 0 at the shoulder, 1 at the point
  const halfWidth = ((right - left) / 2) * (1 - t * t);
  return Math.abs(x - 0.5) <= halfWidth;
}

/** Distance from point p to segment ab. */
function distanceToSegment(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

function onTick(x: number, y: number, halfStroke: number): boolean {
  const a: [number, number] = [0.32, 0.5];
  const b: [number, number] = [0.45, 0.64];
  const c: [number, number] = [0.69, 0.36];
  return distanceToSegment(x, y, ...a, ...b) <= halfStroke || distanceToSegment(x, y, ...b, ...c) <= halfStroke;
}

interface Layer {
  /** Coverage test in unit coordinates. */
  readonly covers: (x: number, y: number) => boolean;
  readonly colour: Rgb;
  /** true: punch the layer out to transparency instead of painting it. */
  readonly erase?: boolean;
}

function render(size: number, background: Rgb | null, layers: readonly Layer[]): PNG {
  const png = new PNG({ width: size, height: size });
  const samples = 4; // 4×4 supersampling per pixel
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const x = (px + (sx + 0.5) / samples) / size;
          const y = (py + (sy + 0.5) / samples) / size;
          let colour: Rgb | null = background;
          for (const layer of layers) {
            if (layer.covers(x, y)) colour = layer.erase ? null : layer.colour;
          }
          if (colour) {
            r += colour[0];
            g += colour[1];
            b += colour[2];
            a += 1;
          }
        }
      }
      const i = (py * size + px) * 4;
      const n = samples * samples;
      // Straight (not premultiplied) alpha: average colour over the covered samples only.
      png.data[i] = a ? Math.round(r / a) : 0;
      png.data[i + 1] = a ? Math.round(g / a) : 0;
      png.data[i + 2] = a ? Math.round(b / a) : 0;
      png.data[i + 3] = Math.round((255 * a) / n);
    }
  }
  return png;
}

export function drawColorIcon(): PNG {
  return render(192, ACCENT, [
    { covers: (x, y) => insideShield(x, y, 0), colour: WHITE },
    { covers: (x, y) => insideShield(x, y, 0.045), colour: ACCENT },
    { covers: (x, y) => onTick(x, y, 0.05), colour: WHITE },
  ]);
}

export function drawOutlineIcon(): PNG {
  // A filled white shield with the tick cut out: at 32 px a thin outline would vanish.
  return render(32, null, [
    { covers: (x, y) => insideShield(x, y, 0), colour: WHITE },
    { covers: (x, y) => onTick(x, y, 0.07), colour: WHITE, erase: true },
  ]);
}

function main(): void {
  const appPackage = join(dirname(fileURLToPath(import.meta.url)), '..', 'appPackage');
  writeFileSync(join(appPackage, 'color.png'), PNG.sync.write(drawColorIcon()));
  writeFileSync(join(appPackage, 'outline.png'), PNG.sync.write(drawOutlineIcon()));
  console.log(`Wrote ${join(appPackage, 'color.png')} and outline.png`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
