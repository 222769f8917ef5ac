import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { chromiumPresent, expectNotBlank, screenshot, skipNotice } from './chromium.js'

// A small jest suite (test/jest-report/) with `trainability/reporter` from dist/, run by jest in a child process.
skipNotice('the trainability/reporter page under jest')

describe('trainability/reporter under jest', () => {
  it('writes one self-contained page: each assertion with its test, verdict, replay command, message and curves', async () => {
    const page = join(mkdtempSync(join(tmpdir(), 'trainability-jest-report-')), 'nested', 'report.html')
    const output = await new Promise<string>((resolve) => {
      execFile('npx', ['jest', '--config', 'test/jest-report/jest.config.cjs'], { env: { ...process.env, CI: 'true', TRAINABILITY_REPORT_FILE: page } }, (_error, stdout, stderr) =>
        resolve((stdout + stderr).replace(/\u001b\[[0-9;]*m/g, '')),
      )
    })
    expect(existsSync(page), output).toBe(true)
    expect(output).toContain(`trainability report: ${page} (2 assertions, 1 failed)`)
    const html = readFileSync(page, 'utf8')
    expect(html).toContain('1 of 2 trainability assertions failed')
    expect(html).toContain(' &middot; jest &middot; ')
    const cards = html.split('<section class="card ').slice(1)
    expect(cards.map((c) => c.slice(0, 4))).toStrictEqual(['fail', 'pass'])
    const [failed, passed] = cards as [string, string]
    expect(failed).toContain('a logistic unit fails: at lr 1e-4 it does not overfit <span class="matcher">toOverfitTinyDataset</span>')
    expect(failed).toContain('<p class="where">test/jest-report/suite/overfit.report.ts:11</p>')
    expect(failed).toMatch(/replay: <code>TRAINABILITY_SEED=42 TRAINABILITY_BACKEND=(tensorflow|cpu) npx jest test\/jest-report\/suite\/overfit\.report\.ts -t &#39;fails: at lr 1e-4 it does not overfit&#39;<\/code>/)
    expect(failed).toContain('within 20 epochs')
    expect(failed).toContain('1. C6 learning rate too low')
    expect(failed).toMatch(/class="goal"[^>]*data-value="0\.05"/)
    expect(failed).toContain('decided at epoch 20')
    expect(passed).toContain('model did overfit 2 samples')
    expect(html).not.toMatch(/<(link|script|img)\b|\b(src|href)="(https?:|\/\/)/) // readable offline
    if (chromiumPresent) expectNotBlank(screenshot(page, page.replace(/\.html$/, '.png'), '1200,900'), expect)
  })
})
