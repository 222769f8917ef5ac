import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PNG } from 'pngjs'
import { describe, expect, it } from 'vitest'

// Needs headless Chromium (Debian: apt-get install -y chromium); CI has none, so this skips there.
const chromium = process.env.CHROMIUM ?? '/usr/bin/chromium'
const present = existsSync(chromium)
if (!present) console.warn(`screenshot test skipped: ${chromium} is absent (apt-get install -y chromium to run it)`)

describe.skipIf(!present)('scripts/screenshot.sh renders the doctor HTML report', () => {
  it('writes a PNG that is not blank', () => {
    const dir = mkdtempSync(join(tmpdir(), 'trainability-shot-'))
    const html = join(dir, 'report.html')
    const png = join(dir, 'report.png')
    try {
      execFileSync(process.execPath, ['dist/cli.js', 'doctor', '--model', 'examples/models/stuck/model.json', '--data', 'examples/models/data.json', '--html', html], { stdio: 'ignore' })
    } catch {
      // exit 1: the stuck model fails, as it should; the report is written either way
    }
    execFileSync('scripts/screenshot.sh', [html, png, '1200,900'], { stdio: 'ignore' })
    const image = PNG.sync.read(readFileSync(png))
    expect(image.width).toBe(1200)
    const colors = new Set<number>()
    for (let i = 0; i < image.data.length; i += 4 * 7) colors.add(image.data.readUInt32BE(i))
    expect(colors.size).toBeGreaterThan(20)
  })
})
