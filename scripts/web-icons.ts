/**
 * Draws the web app's PNG icons from its logo, web/public/favicon.svg, in Chromium (playwright-core,
 * which the browser tests use too), into web/public/. The PNGs are committed; run this after
 * changing the logo: `npx tsx scripts/web-icons.ts` (Chromium from CHROMIUM_PATH or /usr/bin/chromium).
 *
 * - icon-192.png, icon-512.png: the logo as it is, rounded corners on a transparent ground (purpose `any`);
 * - icon-maskable-512.png: the mark on a full square of the logo's colour, inside the central circle
 *   of 80 % of the width that every platform's mask keeps (https://www.w3.org/TR/appmanifest/#icon-masks);
 * - apple-touch-icon.png (180 px): the same full square, since iOS rounds the corners itself and
 *   paints transparent ones black.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const PUBLIC = fileURLToPath(new URL('../web/public/', import.meta.url));

/** The logo's 32-unit square holds a rounded rectangle (its ground) and the path (the mark). */
function parts(logo: string): { ground: string; mark: string } {
  const fill = /<rect\b[^>]*\bfill="([^"]+)"/.exec(logo)?.[1];
  const mark = /<path\b[^>]*\/>/.exec(logo)?.[0];
  if (!fill || !mark) throw new Error('web/public/favicon.svg no longer has the <rect> ground and <path> mark this script draws from');
  return { ground: fill, mark };
}

/** A full-bleed square with the mark scaled to `markShare` of the side, centred. */
function fullBleed(logo: string, markShare: number): string {
  const { ground, mark } = parts(logo);
  const scale = markShare;
  const offset = (32 - 32 * scale) / 2;
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" fill="${ground}"/><g transform="translate(${offset} ${offset}) scale(${scale})">${mark}</g></svg>`;
}

async function main() {
  const logo = await readFile(`${PUBLIC}favicon.svg`, 'utf8');
  // The mark spans 18 of the logo's 32 units; at 0.8 of the side it spans 45 %, well inside the 80 % circle.
  const icons: { file: string; size: number; svg: string }[] = [
    { file: 'icon-192.png', size: 192, svg: logo },
    { file: 'icon-512.png', size: 512, svg: logo },
    { file: 'icon-maskable-512.png', size: 512, svg: fullBleed(logo, 0.8) },
    { file: 'apple-touch-icon.png', size: 180, svg: fullBleed(logo, 0.9) },
  ];
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu'],
  });
  try {
    for (const { file, size, svg } of icons) {
      const page = await browser.newPage({ viewport: { width: size, height: size }, deviceScaleFactor: 1 });
      const sized = svg.replace('<svg ', `<svg width="${size}" height="${size}" `);
      await page.setContent(`<!doctype html><html><body style="margin:0;background:transparent">${sized}</body></html>`);
      await writeFile(`${PUBLIC}${file}`, await page.screenshot({ omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } }));
      await page.close();
      console.log(`web/public/${file}: ${size}×${size}`);
    }
  } finally {
    await browser.close();
  }
}

await main();
