import { execFileSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { chromiumPresent, expectNotBlank, screenshot, skipNotice } from './chromium.js'

skipNotice('the doctor HTML report')

describe.skipIf(!chromiumPresent)('scripts/screenshot.sh renders the doctor HTML report', () => {
  it('writes a PNG that is not blank', () => {
    const dir = mkdtempSync(join(tmpdir(), 'trainability-shot-'))
    const html = join(dir, 'report.html')
    try {
      execFileSync(process.execPath, ['dist/cli.js', 'doctor', '--model', 'examples/models/stuck/model.json', '--data', 'examples/models/data.json', '--html', html], { stdio: 'ignore' })
    } catch {
      // exit 1: the stuck model fails, as it should; the report is written either way
    }
    const image = screenshot(html, join(dir, 'report.png'), '1200,900')
    expect(image.width).toBe(1200)
    expectNotBlank(image, expect)
  })

  it('fails the not-blank check on a blank page: the check can fail', () => {
    const dir = mkdtempSync(join(tmpdir(), 'trainability-shot-'))
    writeFileSync(join(dir, 'blank.html'), '<!doctype html><html><body></body></html>')
    const image = screenshot(join(dir, 'blank.html'), join(dir, 'blank.png'), '400,300')
    expect(() => expectNotBlank(image, expect)).toThrow(/distinct colours/)
  })
})
