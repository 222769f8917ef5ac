// One run, many checks (src/cache.ts): checks that need the same run share it, and a shared run's verdict and message
// are exactly those of a separate run.
import * as tf from '@tensorflow/tfjs'
import { checks, diagnose, type CheckResult, type Diagnosis, type Subject } from 'trainability'
import { beforeEach, describe, expect, test } from 'vitest'
import { forgetSharedRuns, sharedRunStats } from '../src/cache.js'
import { probedRun } from '../src/checks/probed.js'
import { CHECKLIST } from '../src/cli/checklist.js'
import { openSession } from '../src/run.js'
import type { RunOptions } from '../src/types.js'
import { table, twoPoints } from './fixtures/models.js'

const x = table(16, 2, 7).map((row) => row.map((v) => (v - 0.5) * 3))
const data = { x, y: x.map(([a, b]) => (a! > b! ? 1 : 0)) }

// Named layers: an unnamed layer is named from a process-wide counter (dense_Dense141), so two separate runs of one
// factory already print different names; with names, the messages of separate runs are comparable to the letter.
const mlp = (optimizer: () => tf.Optimizer) => (): tf.LayersModel => {
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ name: 'hidden', units: 8, activation: 'relu', inputShape: [2] }),
      tf.layers.dense({ name: 'out', units: 1, activation: 'sigmoid' }),
    ],
  })
  model.compile({ loss: 'binaryCrossentropy', optimizer: optimizer() })
  return model
}
const healthy = mlp(() => tf.train.adam(0.05))
/** Fails several checks with causes from the probes: a rate so high the loss rises and units die. */
const overshooting = mlp(() => tf.train.sgd(40))

type Check = (subject: Subject, options: RunOptions) => Promise<CheckResult>
const EPOCHS = 8

/** The checks whose run is a probed run of a fixed number of epochs, at options under which they need the same run. */
function sharing(epochs: number): [string, Check][] {
  return [
    ['toStayFinite', (s, o) => checks.stayFinite(s, data, { maxEpochs: epochs, ...o })],
    ['toReduceLossMonotonically', (s, o) => checks.monotonic(s, data, { maxEpochs: epochs, ...o })],
    ['toDependOnInput', (s, o) => checks.dependOnInput(s, data, { maxEpochs: epochs, ...o })],
    ['toHaveNoDeadUnits', (s, o) => checks.noDeadUnits(s, data, { maxEpochs: epochs, ...o })],
    ['toBeBatchIndependent', (s, o) => checks.batchIndependent(s, data, { maxEpochs: epochs, ...o })],
    ['toUpdateAllTrainableWeights', (s, o) => checks.updateAllTrainableWeights(s, data, { steps: epochs, ...o })],
    ['toBeScaleInvariant', (s, o) => checks.scaleInvariance(s, data, { maxEpochs: epochs, ...o })],
  ]
}
/** toHaveHealthyGradients trains one epoch: it shares with the others at one epoch. */
const gradients: [string, Check] = ['toHaveHealthyGradients', (s, o) => checks.healthyGradients(s, data, o)]

const verdict = (r: CheckResult): { pass: boolean; message: string } => ({ pass: r.pass, message: r.message })

beforeEach(() => forgetSharedRuns())

describe('a shared run gives the verdict and message of a separate run', () => {
  const subjects: [string, Subject][] = [['a healthy MLP', healthy], ['an MLP at a rate that overshoots', overshooting]]

  for (const [what, subject] of subjects) {
    for (const [epochs, list, only] of [[EPOCHS, sharing(EPOCHS), undefined], [1, [...sharing(1), gradients], gradients[0]]] as const) {
      test(`${what}, ${epochs} epoch${epochs === 1 ? '' : 's'}: every pair of checks that can share${only ? ` with ${only}` : ''}`, async () => {
        const separate = new Map<string, { pass: boolean; message: string }>()
        for (const [name, check] of list) separate.set(name, verdict(await check(subject, { cache: false })))
        expect(sharedRunStats().kept).toBe(0) // cache: false stores nothing
        if (subject === overshooting) expect([...separate.values()].filter((v) => !v.pass).length).toBeGreaterThanOrEqual(2)
        for (const [a, first] of list) {
          forgetSharedRuns()
          expect({ a, ...verdict(await first(subject, {})) }).toEqual({ a, ...separate.get(a) })
          // Every other check after `a`, on `a`'s run, in the list's order. A hit stores nothing.
          const then = list.filter(([b]) => b !== a && (only === undefined || a === only || b === only))
          for (const [b, second] of then) {
            const before = sharedRunStats().hits
            expect({ a, b, ...verdict(await second(subject, {})) }).toEqual({ a, b, ...separate.get(b) })
            // b reused a's run, toStayFinite too: its watch sees nothing on a healthy model's run whatever came first.
            if (subject === healthy) expect({ a, b, hits: sharedRunStats().hits - before }).toEqual({ a, b, hits: 1 })
          }
        }
      })
    }
  }
})

describe('what a shared run costs the user', () => {
  test("a factory is called once per distinct run: once for three checks that share, three times with cache: false", async () => {
    let calls = 0
    const counted = (): tf.LayersModel => {
      calls++
      return healthy()
    }
    const three = async (options: RunOptions): Promise<void> => {
      await checks.stayFinite(counted, data, { maxEpochs: EPOCHS, ...options })
      await checks.monotonic(counted, data, { maxEpochs: EPOCHS, ...options })
      await checks.dependOnInput(counted, data, { maxEpochs: EPOCHS, ...options })
    }
    await three({})
    expect(calls).toBe(1)
    calls = 0
    await three({ cache: false })
    expect(calls).toBe(3)
    calls = 0
    await checks.monotonic(counted, data, { maxEpochs: EPOCHS + 1 }) // another epoch budget: another run
    expect(calls).toBe(1)
  })

  test('leaves no tensor behind, and keeps at most 8 runs', async () => {
    const before = tf.memory().numTensors
    const tensors = { x: tf.tensor2d(x), y: tf.tensor1d(data.y) }
    for (let seed = 1; seed <= 10; seed++) {
      await checks.monotonic(healthy, tensors, { maxEpochs: 2, seed })
      await checks.dependOnInput(healthy, tensors, { maxEpochs: 2, seed })
    }
    expect(sharedRunStats().kept).toBe(8)
    tf.dispose([tensors.x, tensors.y])
    expect(tf.memory().numTensors).toBe(before)
  })

  test('a check that edits its outcome edits its own copy', async () => {
    const request = { dataset: data, maxEpochs: 3, timeoutMs: 20_000 }
    const run = async (cache: boolean) => probedRun(await openSession(healthy, { cache }), request)
    const expected = await run(false)
    const hits = sharedRunStats().hits
    const edit = (outcome: Awaited<ReturnType<typeof run>>): void => {
      outcome.record.losses[0] = 99
      outcome.evidence.gradients.first.length = 0
    }
    edit(await run(true)) // the run that is stored
    edit(await run(true)) // a copy handed out
    const again = await run(true)
    expect(sharedRunStats().hits - hits).toBe(2)
    expect(again.record.losses).toEqual(expected.record.losses)
    expect(again.evidence.gradients.first).toEqual(expected.evidence.gradients.first)
    expect(again.evidence.gradients.first.length).toBeGreaterThan(0)
  })
})

describe('what makes another run', () => {
  const runs = (): number => sharedRunStats().runs

  test('a model instance whose weights changed between two checks', async () => {
    const model = healthy()
    await checks.monotonic(model, data, { maxEpochs: EPOCHS })
    const [kernel, bias] = model.layers[0]!.getWeights()
    model.layers[0]!.setWeights([tf.mul(kernel!, 2), bias!])
    const trained = runs()
    const after = await checks.monotonic(model, data, { maxEpochs: EPOCHS })
    expect(runs()).toBe(trained + 1)
    expect(verdict(after)).toEqual(verdict(await checks.monotonic(model, data, { maxEpochs: EPOCHS, cache: false })))
    model.dispose()
  })

  test('a dataset edited in place', async () => {
    const copy = { x: x.map((row) => [...row]), y: [...data.y] }
    await checks.monotonic(healthy, copy, { maxEpochs: EPOCHS })
    copy.x[0]![0] = copy.x[0]![0]! + 1
    const trained = runs()
    await checks.monotonic(healthy, copy, { maxEpochs: EPOCHS })
    expect(runs()).toBe(trained + 1)
  })

  test('a disposed tensor is bad input, as it is without a shared run', async () => {
    const tensors = { x: tf.tensor2d(x), y: tf.tensor1d(data.y) }
    await checks.monotonic(healthy, tensors, { maxEpochs: EPOCHS })
    tensors.x.dispose()
    tensors.y.dispose()
    const separate = await checks.monotonic(healthy, tensors, { maxEpochs: EPOCHS, cache: false }).then(() => 'resolved', (e: Error) => e.message)
    expect(separate).toMatch(/disposed/)
    await expect(checks.monotonic(healthy, tensors, { maxEpochs: EPOCHS })).rejects.toThrow(separate)
  })

  test('a run the clock stopped is not shared: another budget might have let it finish', async () => {
    const cut = await checks.monotonic(healthy, data, { maxEpochs: 1_000_000, timeoutMs: 200 })
    expect(cut.record.stoppedBy).toBe('timeout')
    expect(sharedRunStats().kept).toBe(0)
  })

  test('a run a watch stopped is not shared: toStayFinite stopped at a non-finite weight', async () => {
    const diverging = mlp(() => tf.train.sgd(1e39)) // a rate float32 rounds to Infinity: every weight non-finite after one step
    // verify: false, since the re-runs that verify its causes (other learning rates) are other runs, kept on their own.
    const finite = await checks.stayFinite(diverging, data, { maxEpochs: EPOCHS, verify: false })
    expect(finite.record.stoppedBy).toBe('observer')
    expect(finite.message).toMatch(/first non-finite weight: (hidden|out)\/\w+ after epoch \d+/)
    expect(sharedRunStats().kept).toBe(0)
    const monotonic = await checks.monotonic(diverging, data, { maxEpochs: EPOCHS })
    expect(verdict(monotonic)).toEqual(verdict(await checks.monotonic(diverging, data, { maxEpochs: EPOCHS, cache: false })))
  })

  test('toStayFinite after another check: shares a run whose weights stayed finite, trains its own when they did not', async () => {
    // On a healthy run its watch would have seen nothing: it shares whichever check came first.
    await checks.monotonic(healthy, data, { maxEpochs: EPOCHS })
    let hits = sharedRunStats().hits
    const shared = await checks.stayFinite(healthy, data, { maxEpochs: EPOCHS })
    expect(sharedRunStats().hits - hits).toBe(1)
    expect(verdict(shared)).toEqual(verdict(await checks.stayFinite(healthy, data, { maxEpochs: EPOCHS, cache: false })))
    expect(shared.message).toMatch(/loss finite for 8 epochs/)
    // sgd at 1e39 (Infinity in float32) makes every weight non-finite in one step; the loss goes NaN at epoch 2 and the
    // run is stored, but its watch would have stopped it after epoch 1: toStayFinite trains its own.
    const diverging = mlp(() => tf.train.sgd(1e39))
    const monotonic = await checks.monotonic(diverging, data, { maxEpochs: EPOCHS })
    expect(monotonic.record.stoppedBy).toBe('nonFinite')
    hits = sharedRunStats().hits
    const own = await checks.stayFinite(diverging, data, { maxEpochs: EPOCHS, verify: false })
    expect(sharedRunStats().hits - hits).toBe(0)
    expect(own.record.stoppedBy).toBe('observer')
    expect(verdict(own)).toEqual(verdict(await checks.stayFinite(diverging, data, { maxEpochs: EPOCHS, verify: false, cache: false })))
    expect(own.message).toMatch(/first non-finite weight: (hidden|out)\/\w+ after epoch 1/)
  })

  test('options.cache must be a boolean', async () => {
    await expect(checks.monotonic(healthy, data, { cache: 'no' as never })).rejects.toThrow(/^options\.cache must be true or false, received string "no"; pass e\.g\. \{ cache: false \}/)
  })
})

describe('the doctor', () => {
  test('trains its three 100-epoch checks once, with the verdicts and messages of separate runs', async () => {
    const model = healthy()
    const subject = { model, compile: {} }
    const run = async (options: RunOptions): Promise<{ pass: boolean; message: string }[]> => {
      const out = []
      for (const entry of CHECKLIST) out.push(verdict(await entry.run(subject, data, options)))
      return out
    }
    const separate = await run({ cache: false })
    const before = sharedRunStats()
    const shared = await run({})
    expect(shared).toEqual(separate)
    expect(sharedRunStats().hits - before.hits).toBe(2) // monotonic and depends-on-input reuse stays-finite's run
    model.dispose()
  })
})

describe('diagnose()', () => {
  // Everything a diagnosis says but the run's duration, which no two runs share.
  const said = ({ findings, record, evidence }: Diagnosis): unknown => ({ findings, record: { ...record, elapsedMs: 0 }, evidence })
  const runs = (): number => sharedRunStats().runs

  test('shares the goal-free run of the same epochs, either way round, when its goal never fired: the diagnosis and verdict of separate runs', async () => {
    const separate = await diagnose(healthy, data, { maxEpochs: EPOCHS, cache: false })
    expect(separate.record.stoppedBy).toBe('maxEpochs') // 8 epochs of adam 0.05 leave the loss far above diagnose's 1e-4
    const dependsSeparate = await checks.dependOnInput(healthy, data, { maxEpochs: EPOCHS, cache: false })
    // A check first, then diagnose(): the check's stored run is the diagnosis's run.
    const depends = await checks.dependOnInput(healthy, data, { maxEpochs: EPOCHS })
    let hits = sharedRunStats().hits
    let trained = runs()
    const after = await diagnose(healthy, data, { maxEpochs: EPOCHS })
    expect(sharedRunStats().hits - hits).toBe(1)
    expect(said(after)).toEqual(said(separate))
    expect(verdict(depends)).toEqual(verdict(dependsSeparate))
    // diagnose() first: its run is stored, and the check reuses it.
    forgetSharedRuns()
    trained = runs()
    const first = await diagnose(healthy, data, { maxEpochs: EPOCHS })
    expect(runs()).toBeGreaterThan(trained)
    hits = sharedRunStats().hits
    const reused = await checks.dependOnInput(healthy, data, { maxEpochs: EPOCHS })
    expect(sharedRunStats().hits - hits).toBe(1)
    expect(said(first)).toEqual(said(separate))
    expect(verdict(reused)).toEqual(verdict(dependsSeparate))
  })

  test('trains its own run when its goal would have stopped it: a run that fit its data below 1e-4 is not the diagnosis\'s run', async () => {
    // SGD shrinks the logistic loss on separable points like 1/(lr·t): at lr 100 it passes under 1e-4 by about epoch 100.
    const fits = (): tf.LayersModel => {
      const model = tf.sequential({ layers: [tf.layers.dense({ name: 'unit', units: 1, inputShape: [1] })] })
      model.compile({ loss: tf.losses.sigmoidCrossEntropy as never, optimizer: tf.train.sgd(100) })
      return model
    }
    const monotonic = await checks.monotonic(fits, twoPoints, { maxEpochs: 200 })
    expect(monotonic.record.stoppedBy).toBe('maxEpochs')
    expect(Math.min(...monotonic.record.losses)).toBeLessThan(1e-4)
    const trained = runs()
    const hits = sharedRunStats().hits
    const diagnosis = await diagnose(fits, twoPoints, { maxEpochs: 200 })
    expect(sharedRunStats().hits - hits).toBe(0)
    expect(runs()).toBe(trained + 1)
    expect(diagnosis.record.stoppedBy).toBe('goal')
    expect(said(diagnosis)).toEqual(said(await diagnose(fits, twoPoints, { maxEpochs: 200, cache: false })))
  })
})
