import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { PNG } from 'pngjs'

/**
 * Headless Chromium for the screenshot tests (Debian: apt-get install -y chromium; .ci/run installs it where it can).
 * Where it is absent those tests skip, and say so once per file.
 */
export const chromium = process.env.CHROMIUM ?? '/usr/bin/chromium'
export const chromiumPresent = existsSync(chromium)

export function skipNotice(what: string): void {
  if (!chromiumPresent) console.warn(`${what}: screenshot skipped, ${chromium} is absent (apt-get install -y chromium to run it)`)
}

/** Renders an HTML page or an SVG file with scripts/screenshot.sh and reads the PNG back. */
export function screenshot(page: string, png: string, size: string): PNG {
  execFileSync('scripts/screenshot.sh', [page, png, size], { stdio: 'ignore' })
  return PNG.sync.read(readFileSync(png))
}

/**
 * Not blank: a plain page has a handful of colours; text, antialiased curves and axes give dozens. And the ink (pixels
 * far from the page's most common colour, its background) covers more than 1% of the picture.
 */
export function expectNotBlank(image: PNG, expect: (actual: unknown, message?: string) => { toBeGreaterThan(n: number): void }): void {
  const counts = new Map<number, number>()
  for (let i = 0; i < image.data.length; i += 4) {
    const rgba = image.data.readUInt32BE(i)
    counts.set(rgba, (counts.get(rgba) ?? 0) + 1)
  }
  const background = [...counts.entries()].reduce((a, b) => (b[1] > a[1] ? b : a))[0]
  const [br, bg, bb] = [(background >>> 24) & 255, (background >>> 16) & 255, (background >>> 8) & 255]
  let ink = 0
  for (let i = 0; i < image.data.length; i += 4) {
    const d = Math.abs(image.data[i]! - br) + Math.abs(image.data[i + 1]! - bg) + Math.abs(image.data[i + 2]! - bb)
    if (d > 96) ink++
  }
  expect(counts.size, 'distinct colours').toBeGreaterThan(20)
  expect(ink / (image.width * image.height), 'share of ink').toBeGreaterThan(0.01)
}
