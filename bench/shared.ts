// One run, many checks (src/cache.ts): the doctor and a 6-matcher test file with shared runs against `cache: false`,
// then what a training step costs us against a plain tfjs loop: wall time with and without probes, and kernels per
// step counted with tf.profile. Runs on the backend a user gets (native when it loads).
import * as tf from '@tensorflow/tfjs'
import { onBackend, pickBackend } from '../src/backend.js'
import { forgetSharedRuns } from '../src/cache.js'
import { checks } from '../src/index.js'
import { CHECKLIST } from '../src/cli/checklist.js'
import type { Table } from '../src/cli/load-data.js'
import { probes } from '../src/probes/evidence.js'
import { openSession } from '../src/run.js'
import { withSeed } from '../src/seed.js'
import { resolveSubject } from '../src/subject.js'
import { train } from '../src/train.js'
import type { BackendName, RunOptions } from '../src/types.js'
import { overhead } from './overhead.js'
import { median, ms, table } from './stats.js'

const mlp = (): tf.LayersModel => {
  const m = tf.sequential({
    layers: [
      tf.layers.dense({ units: 64, activation: 'relu', inputShape: [8] }),
      tf.layers.dense({ units: 64, activation: 'relu' }),
      tf.layers.dense({ units: 1, activation: 'sigmoid' }),
    ],
  })
  m.compile({ loss: 'binaryCrossentropy', optimizer: tf.train.adam(0.003) })
  return m
}
const mlpX = Array.from({ length: 256 }, (_, i) => Array.from({ length: 8 }, (_, j) => Math.sin(i * 7.1 + j * 3.3)))
const mlpData: Table = { x: mlpX, y: mlpX.map((r) => (r[0]! + r[1]! > 0 ? 1 : 0)) }

/** A conv net as a saved model reads a CSV: flat rows of 16×16 pixels, reshaped by its first layer. */
const conv = (): tf.LayersModel => {
  const m = tf.sequential({
    layers: [
      tf.layers.reshape({ targetShape: [16, 16, 1], inputShape: [256] }),
      tf.layers.conv2d({ filters: 8, kernelSize: 3, activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({ filters: 16, kernelSize: 3, activation: 'relu' }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 3, activation: 'softmax' }),
    ],
  })
  m.compile({ loss: 'categoricalCrossentropy', optimizer: tf.train.adam(0.003) })
  return m
}
const convX = Array.from({ length: 96 }, (_, n) => Array.from({ length: 256 }, (_, p) => Math.max(0, Math.sin((n % 3 + 1) * (p % 16) * 0.4 + Math.floor(p / 16) * 0.3 + n * 0.01))))
const convData: Table = { x: convX, y: convX.map((_, n) => [0, 1, 2].map((c) => (c === n % 3 ? 1 : 0))) }

/** Wall time of `work` with shared runs and with `cache: false`, alternating, each shared round from an empty cache. */
async function compare(rounds: number, work: (options: RunOptions) => Promise<boolean>): Promise<{ shared: number; separate: number }> {
  const shared: number[] = []
  const separate: number[] = []
  const timed = async (cache: boolean): Promise<void> => {
    forgetSharedRuns()
    const start = performance.now()
    if (!(await work({ cache }))) throw new Error('bench model failed a check')
    ;(cache ? shared : separate).push(performance.now() - start)
  }
  for (let r = 0; r < rounds; r++) {
    if (r % 2) await timed(true).then(() => timed(false))
    else await timed(false).then(() => timed(true))
  }
  forgetSharedRuns()
  return { shared: median(shared), separate: median(separate) }
}

/** The doctor's checklist, as `trainability doctor` runs it, on a model instance. */
const doctor = (build: () => tf.LayersModel, data: Table) => async (options: RunOptions): Promise<boolean> => {
  const model = build()
  try {
    const subject = { model, compile: {} }
    let pass = true
    for (const entry of CHECKLIST) {
      const result = await entry.run(subject, data, options)
      if (!result.pass) console.error(result.message)
      pass = result.pass && pass
    }
    return pass
  } finally {
    model.dispose()
  }
}

/**
 * A test file of six matchers on one factory and dataset: the doctor's checklist as a user writes it. `finite-last` moves
 * toStayFinite after the two checks that share its run (it shares theirs: its watch sees nothing on a healthy run); `dead-units` tests toHaveNoDeadUnits (50 epochs: a run of its
 * own) in place of toHaveHealthyGradients.
 */
const testFile = (variant: 'as-written' | 'finite-last' | 'dead-units') => async (options: RunOptions): Promise<boolean> => {
  const file = [
    () => checks.startNearChance(mlp, mlpData, options),
    () => checks.overfit(mlp, options),
    () => checks.stayFinite(mlp, mlpData, options),
    () => checks.monotonic(mlp, mlpData, options),
    () => (variant === 'dead-units' ? checks.noDeadUnits(mlp, mlpData, options) : checks.healthyGradients(mlp, mlpData, options)),
    () => checks.dependOnInput(mlp, mlpData, options),
  ]
  if (variant === 'finite-last') file.push(...file.splice(2, 1))
  let pass = true
  for (const matcher of file) {
    const result = await matcher()
    if (!result.pass) console.error(result.message)
    pass = result.pass && pass
  }
  return pass
}

/** The loop a tfjs user writes by hand (as in overhead.ts). */
function plainSteps(model: tf.LayersModel, x: tf.Tensor, y: tf.Tensor, steps: number): void {
  const lossFn = (model as unknown as { model: { lossFunctions: ((y: tf.Tensor, p: tf.Tensor) => tf.Tensor)[] } }).model.lossFunctions[0]!
  for (let i = 0; i < steps; i++) {
    const cost = model.optimizer.minimize(() => tf.mean(lossFn(y, model.apply(x, { training: true }) as tf.Tensor)) as tf.Scalar, true)!
    cost.dataSync()
    cost.dispose()
  }
}

/** Kernels per training step, counted with tf.profile: our loop, a plain tfjs loop, and a whole probed run per epoch. */
async function kernelsPerStep(steps: number): Promise<string[][]> {
  const x = tf.tensor2d(mlpX)
  const y = tf.tensor2d(mlpData.y as number[], [256, 1])
  const source = await resolveSubject(mlp, {})
  const ours = await withSeed(1, async (scope) => {
    const trainee = await source.create()
    try {
      const info = await tf.profile(async () => {
        await train(trainee, x, y, { maxEpochs: steps, timeoutMs: 1e9 }, scope)
        return []
      })
      return info.kernels.length / steps
    } finally {
      trainee.dispose()
    }
  })
  const plain = await withSeed(1, async () => {
    const model = mlp()
    try {
      const info = await tf.profile(() => {
        plainSteps(model, x, y, steps)
        return []
      })
      return info.kernels.length / steps
    } finally {
      model.optimizer.dispose()
      model.dispose()
    }
  })
  const session = await openSession(mlp, { cache: false, timeoutMs: 1e9 })
  const run = async (probed: boolean): Promise<number> =>
    (await tf.profile(async () => {
      await session.run({ dataset: mlpData, maxEpochs: steps, timeoutMs: 1e9, observers: probed ? [probes().observer] : [] })
      return []
    })).kernels.length / steps
  const runPlain = await run(false)
  const runProbed = await run(true)
  tf.dispose([x, y])
  return [
    ['plain tfjs loop (optimizer.minimize)', plain.toFixed(1), ''],
    ['trainability train()', ours.toFixed(1), ours <= plain ? 'ok' : 'MORE'],
    [`whole run, no probes (setup included, ${steps} epochs)`, runPlain.toFixed(1), ''],
    [`whole run, every probe (setup included, ${steps} epochs)`, runProbed.toFixed(1), ''],
  ]
}

/**
 * Wall and CPU time of a 100-epoch run with every probe against the same run without, alternating. CPU time (this
 * process's, all its threads) is the steadier figure on a machine other work shares: wall time there swings by ±10%.
 */
async function probeCost(rounds: number, epochs = 100): Promise<{ wall: number; cpu: number }> {
  // A session's budget covers all its runs: 2 × rounds runs of about a second each need more than the default 20 s.
  const session = await openSession(mlp, { cache: false, timeoutMs: 1e9 })
  const wall = { plain: [] as number[], probed: [] as number[] }
  const cpu = { plain: [] as number[], probed: [] as number[] }
  const timed = async (withProbes: boolean): Promise<void> => {
    const start = performance.now()
    const used = process.cpuUsage()
    await session.run({ dataset: mlpData, maxEpochs: epochs, timeoutMs: 1e9, observers: withProbes ? [probes().observer] : [] })
    const { user, system } = process.cpuUsage(used)
    wall[withProbes ? 'probed' : 'plain'].push(performance.now() - start)
    cpu[withProbes ? 'probed' : 'plain'].push(user + system)
  }
  await timed(false) // warm-up
  wall.plain.length = 0
  cpu.plain.length = 0
  for (let r = 0; r < rounds; r++) {
    if (r % 2) await timed(true).then(() => timed(false))
    else await timed(false).then(() => timed(true))
  }
  return { wall: median(wall.probed) / median(wall.plain), cpu: median(cpu.probed) / median(cpu.plain) }
}

export async function sharedRuns(rounds: number): Promise<void> {
  const backend: BackendName = await pickBackend()
  await onBackend(backend, async () => {
    const rows: string[][] = []
    const row = (name: string, { shared, separate }: { shared: number; separate: number }, target = true): void => {
      const ratio = separate / shared
      rows.push([name, ms(separate), ms(shared), ratio.toFixed(2), target ? (ratio >= 2 ? 'ok' : 'UNDER 2') : ''])
    }
    row('doctor, healthy 2×64 MLP (256 samples)', await compare(rounds, doctor(mlp, mlpData)))
    row('doctor, small conv net (96 images 16×16)', await compare(rounds, doctor(conv, convData)))
    row('6-matcher test file on one factory', await compare(rounds, testFile('as-written')))
    row('same file, toStayFinite after the two it shares with', await compare(rounds, testFile('finite-last')), false)
    row('same file, toHaveNoDeadUnits for toHaveHealthyGradients', await compare(rounds, testFile('dead-units')), false)
    console.log(`\nOne run, many checks: wall time with cache: false against shared runs, backend ${backend}, median of ${rounds} (ms)`)
    table(['work', 'separate', 'shared', 'ratio', 'target ≥ 2'], rows)

    const probeRatio = await probeCost(rounds)
    console.log(`\nProbes, 2×64 MLP on 256 samples, 100 epochs, backend ${backend}, median of ${rounds}`)
    const within = (ratio: number): string => (ratio <= 1.05 ? '≤ 1.05 ok' : '≤ 1.05 OVER')
    table(['measure', 'value', 'target'], [
      ['every probe / no probe, wall time', probeRatio.wall.toFixed(3), within(probeRatio.wall)],
      ['every probe / no probe, CPU time', probeRatio.cpu.toFixed(3), within(probeRatio.cpu)],
    ])

    console.log(`\nKernels per training step (tf.profile), 2×64 MLP on 256 samples, one full batch a step, backend ${backend}`)
    table(['loop', 'kernels / step', 'target ≤ plain'], await kernelsPerStep(20))
  })
  // The harness overhead table of overhead.ts, on this backend too.
  const previous = tf.getBackend()
  await tf.setBackend(backend)
  await overhead(rounds)
  await tf.setBackend(previous)
}
