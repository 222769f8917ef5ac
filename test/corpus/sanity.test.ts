import * as tf from '@tensorflow/tfjs'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { pickBackend } from '../../src/backend.js'
import { cases } from './cases/index.js'
import { runPlain, type Verdict } from './plain.js'

// The corpus's own check, in plain tfjs: each bug really breaks training and its one-line fix really repairs it;
// each healthy model trains. The criterion is written once, in plain.ts.
const rows: string[] = []
const filter = process.env.CORPUS_FILTER

beforeAll(async () => {
  await tf.setBackend(await pickBackend())
})

afterAll(() => {
  if (rows.length) console.log(['corpus sanity (plain tfjs):', ...rows].join('\n'))
})

const show = (v: Verdict): string => `${v.works ? 'works' : 'fails'} @${v.epochs}: ${v.detail}`

describe('corpus sanity: broken cases', () => {
  test.each(cases.filter((c) => c.expected !== 'healthy' && (!filter || c.name.includes(filter))).map((c) => [c.expected, c.name, c] as const))(
    '%s %s: the bug breaks training, the fix repairs it',
    async (_, name, c) => {
      const before = tf.memory().numTensors
      const bug = await runPlain(c.setup)
      const fix = await runPlain(c.fixed!)
      rows.push(`  ${name.padEnd(44)} bug ${show(bug)}\n  ${''.padEnd(44)} fix ${show(fix)}`)
      expect(bug.works, `${name} with the bug: ${bug.detail}`).toBe(false)
      expect(fix.works, `${name} with the fix (${c.fix}): ${fix.detail}`).toBe(true)
      expect(tf.memory().numTensors).toBe(before)
    },
  )
})

describe('corpus sanity: healthy cases', () => {
  test.each(cases.filter((c) => c.expected === 'healthy' && (!filter || c.name.includes(filter))).map((c) => [c.name, c] as const))(
    '%s trains',
    async (name, c) => {
      const before = tf.memory().numTensors
      const run = await runPlain(c.setup)
      rows.push(`  ${name.padEnd(44)} ${show(run)}`)
      expect(run.works, `${name}: ${run.detail}`).toBe(true)
      expect(tf.memory().numTensors).toBe(before)
    },
  )
})
