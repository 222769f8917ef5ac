// Plain tfjs, no trainability: each injected bug measurably breaks training of its real model and the one-line
// fix repairs it. Weights are seeded by swapping Math.random during construction (tfjs initializers draw their
// seed from it); the thresholds are properties (chance accuracy, the loss at the start, var(y)), not pasted numbers.
import * as tf from '@tensorflow/tfjs'
import { describe, expect, test } from 'vitest'
import { additionData, additionModel } from './models/addition-rnn.js'
import { bostonData, bostonModel } from './models/boston.js'
import { irisData, irisModel } from './models/iris.js'
import { mnistConv, mnistCore, mnistData, mnistDense, MNIST_CORE_BUGS } from './models/mnist.js'
import { LEARNING_RATE, polynomialData, polynomialTrainable, POLYNOMIAL_BUGS, type PolynomialBug } from './models/polynomial.js'
import { rng } from './models/common.js'
import { sentimentData, sentimentModel } from './models/sentiment.js'
import { fitError, fitOutcome, withMathRandom, type FitOutcome } from './sanity-helpers.js'

const show = (o: FitOutcome): string => `loss ${o.first.toPrecision(4)} → ${o.last.toPrecision(4)}${Number.isNaN(o.accuracy) ? '' : `, accuracy ${(o.accuracy * 100).toFixed(0)}%`}`
/** Each configuration trains once per file: the fixed run is shared by every bug of its model. */
const memo = <K, V>(f: (k: K) => Promise<V>): ((k?: K) => Promise<V>) => {
  const cache = new Map<K, Promise<V>>()
  return (k) => {
    if (!cache.has(k as K)) cache.set(k as K, f(k as K))
    return cache.get(k as K)!
  }
}
const report = (what: string, broken: string, fixed: string): void => console.info(`sanity ${what}: broken ${broken} | fixed ${fixed}`)

describe('iris (adam 0.01, 30 rows, 150 full-batch epochs)', () => {
  const { train } = irisData({ train: 10, validation: 5 })
  const fit = memo((bug?: Parameters<typeof irisModel>[0]) => fitOutcome(() => irisModel(bug), train, { epochs: 150 }))

  test('no-softmax: the linear output never classifies; softmax does', async () => {
    const [broken, fixed] = [await fit('no-softmax'), await fit()]
    report('iris no-softmax', show(broken), show(fixed))
    expect(fixed.accuracy).toBeGreaterThanOrEqual(0.9)
    expect(broken.accuracy).toBeLessThanOrEqual(0.5)
  })
  test('integer-labels: model.fit refuses class ids for categoricalCrossentropy; one-hot trains', async () => {
    const error = await fitError(() => irisModel(), irisData({ train: 10, validation: 5, bug: 'integer-labels' }).train)
    const fixed = await fit()
    report('iris integer-labels', `fit throws "${error?.slice(0, 90)}"`, show(fixed))
    expect(error).toMatch(/shape \[\*,3\].*shape \[30,1\]/)
    expect(fixed.accuracy).toBeGreaterThanOrEqual(0.9)
  })
  test('lr-too-high: adam 10 ends above its first loss at chance accuracy; 0.01 trains', async () => {
    const [broken, fixed] = [await fit('lr-too-high'), await fit()]
    report('iris lr-too-high', show(broken), show(fixed))
    expect(broken.last).toBeGreaterThan(broken.first)
    expect(broken.accuracy).toBeLessThanOrEqual(0.5)
    expect(fixed.last).toBeLessThan(fixed.first / 2)
  })
  test('all-frozen: nothing to train (tfjs refuses the step); unfrozen trains', async () => {
    const error = await fitError(() => irisModel('all-frozen'), train)
    const fixed = await fit()
    report('iris all-frozen', `fit throws "${error?.slice(0, 90)}"`, show(fixed))
    expect(error).toMatch(/none of the 0 variables is trainable/)
    expect(fixed.accuracy).toBeGreaterThanOrEqual(0.9)
  })
})

describe('boston-housing (SGD, batch 40, 64 rows, 100 epochs)', () => {
  const normalized = bostonData({ train: 64, validation: 32 }).train
  const raw = bostonData({ train: 64, validation: 32, bug: 'raw-features' }).train
  const mean = normalized.y.reduce((s, r) => s + r[0]!, 0) / normalized.y.length
  // Predicting mean(y) for every house scores var(y): a model that learned anything beats it.
  const baseline = normalized.y.reduce((s, r) => s + (r[0]! - mean) ** 2, 0) / normalized.y.length
  const run = memo((key: string) => {
    const [kind, bug] = key.split(' ') as [Parameters<typeof bostonModel>[0], Parameters<typeof bostonModel>[1]]
    return fitOutcome(() => bostonModel(kind, bug || undefined), bug === 'raw-features' ? raw : normalized, { epochs: 100, batchSize: 40, classify: false })
  })
  const fit = (kind: Parameters<typeof bostonModel>[0], bug?: Parameters<typeof bostonModel>[1]) => run(`${kind} ${bug ?? ''}`)

  test('the normalized features are finite (no constant column in the subset)', () => {
    expect(normalized.x.flat().every(Number.isFinite)).toBe(true)
  })
  test('raw-features: the linear model diverges and the 2-hidden MLP cannot beat var(y); normalized they beat it by far', async () => {
    const brokenLinear = await fit('linear', 'raw-features')
    const brokenMlp = await fit('mlp2', 'raw-features')
    const [fixedLinear, fixedMlp] = [await fit('linear'), await fit('mlp2')]
    report('boston raw-features (linear)', show(brokenLinear) + (brokenLinear.finite ? '' : ' (non-finite)'), show(fixedLinear))
    report('boston raw-features (mlp2)', show(brokenMlp), show(fixedMlp))
    expect(brokenLinear.finite).toBe(false)
    expect(brokenMlp.last).toBeGreaterThan(baseline * 0.9)
    expect(fixedLinear.last).toBeLessThan(baseline / 2)
    expect(fixedMlp.last).toBeLessThan(baseline / 2)
  })
  test('lr-too-high: SGD 1 diverges on the linear model; 0.01 converges', async () => {
    const [broken, fixed] = [await fit('linear', 'lr-too-high'), await fit('linear')]
    report('boston lr-too-high (linear)', show(broken) + (broken.finite ? '' : ' (non-finite)'), show(fixed))
    expect(broken.finite).toBe(false)
    expect(fixed.last).toBeLessThan(baseline / 2)
  })
  test('lr-too-low: SGD 1e-6 leaves the loss within 5% of its start, far above var(y)', async () => {
    const [broken, fixed] = [await fit('mlp2', 'lr-too-low'), await fit('mlp2')]
    report('boston lr-too-low (mlp2)', show(broken), show(fixed))
    expect(broken.last).toBeGreaterThan(broken.first * 0.95)
    expect(broken.last).toBeGreaterThan(baseline * 2)
    expect(fixed.last).toBeLessThan(baseline / 2)
  })
  test('deep-sigmoid: 12 sigmoid layers cannot beat var(y); the example’s 2 can', async () => {
    const [broken, fixed] = [await fit('mlp2', 'deep-sigmoid'), await fit('mlp2')]
    report('boston deep-sigmoid', show(broken), show(fixed))
    expect(broken.last).toBeGreaterThan(baseline * 0.9)
    expect(fixed.last).toBeLessThan(baseline / 2)
  })
})

describe('addition-rnn (LSTM 16, digits 1, 12 examples, 100 epochs)', () => {
  const data = additionData(1, 12)
  const fit = memo((bug?: Parameters<typeof additionModel>[0]['bug']) =>
    fitOutcome(() => additionModel({ hiddenSize: 16, rnnType: 'LSTM', digits: 1, bug }), data, { epochs: 100 }))

  test('no-softmax: the loss rises from its start; with softmax it falls', async () => {
    const [broken, fixed] = [await fit('no-softmax'), await fit()]
    report('addition-rnn no-softmax', show(broken), show(fixed))
    expect(broken.last).toBeGreaterThan(broken.first)
    expect(fixed.last).toBeLessThan(fixed.first * 0.9)
    expect(fixed.last).toBeLessThan(Math.log(12)) // below chance over 12 characters
  })
  test('integer-labels: model.fit refuses [n, 2] character ids; one-hot trains', async () => {
    const error = await fitError(() => additionModel({ hiddenSize: 16, rnnType: 'LSTM', digits: 1 }), additionData(1, 12, { bug: 'integer-labels' }))
    const fixed = await fit()
    report('addition-rnn integer-labels', `fit throws "${error?.slice(0, 90)}"`, show(fixed))
    expect(error).toMatch(/to have 3 dimension\(s\)\. but got array with shape 12,2/)
    expect(fixed.last).toBeLessThan(fixed.first * 0.9)
  })
  test('lr-too-high: adam 10 ends far above its start; the default adam falls below chance', async () => {
    const [broken, fixed] = [await fit('lr-too-high'), await fit()]
    report('addition-rnn lr-too-high', show(broken), show(fixed))
    expect(broken.last).toBeGreaterThan(broken.first)
    expect(fixed.last).toBeLessThan(Math.log(12))
  })
})

describe('polynomial-regression-core (75 SGD steps on 100 points, as the example)', () => {
  const { x, y } = polynomialData(100)
  const cache = new Map<PolynomialBug | undefined, { first: number; last: number }>()
  const train = (bug?: PolynomialBug): { first: number; last: number } => {
    if (!cache.has(bug)) cache.set(bug, trainOnce(bug))
    return cache.get(bug)!
  }
  const trainOnce = (bug?: PolynomialBug): { first: number; last: number } => {
    const trainable = polynomialTrainable(bug, rng(3))
    const xs = tf.tensor1d(x)
    const ys = tf.tensor1d(y)
    const optimizer = tf.train.sgd(bug === undefined ? LEARNING_RATE : POLYNOMIAL_BUGS[bug].learningRate)
    const losses: number[] = []
    try {
      for (let i = 0; i < 75; i++) {
        const cost = optimizer.minimize(() => trainable.loss(xs, ys), true)!
        losses.push(cost.dataSync()[0]!)
        cost.dispose()
      }
    } finally {
      tf.dispose([xs, ys, ...trainable.variables])
      optimizer.dispose()
    }
    return { first: losses[0]!, last: losses[74]! }
  }
  const variance = (() => {
    const m = y.reduce((s, v) => s + v, 0) / y.length
    return y.reduce((s, v) => s + (v - m) ** 2, 0) / y.length
  })()
  const line = (o: { first: number; last: number }): string => `loss ${o.first.toPrecision(4)} → ${o.last.toPrecision(4)}`

  test('the fix: lr 0.5 fits the cubic to well under a tenth of var(y)', () => {
    expect(train().last).toBeLessThan(variance / 10)
  })
  test('lr-too-high: lr 5 goes non-finite', () => {
    const broken = train('lr-too-high')
    report('polynomial lr-too-high', line(broken), line(train()))
    expect(Number.isFinite(broken.last)).toBe(false)
  })
  test('lr-too-low: lr 1e-5 moves the loss by less than 1%', () => {
    const broken = train('lr-too-low')
    report('polynomial lr-too-low', line(broken), line(train()))
    expect(broken.last).toBeGreaterThan(broken.first * 0.99)
  })
  test('frozen-offset: a non-trainable d leaves the loss above var(y) / 2', () => {
    const broken = train('frozen-offset')
    report('polynomial frozen-offset', line(broken), line(train()))
    expect(broken.last).toBeGreaterThan(variance / 2)
  })
})

describe('mnist dense (rmsprop, 20 synthesized digits, 60 epochs)', () => {
  const fit = memo((bug?: Parameters<typeof mnistDense>[0]) => fitOutcome(() => mnistDense(bug), mnistData({ perClass: 2, bug }), { epochs: 60 }))

  test('pixels-255: stuck near its start at low accuracy; pixels / 255 fit every digit', async () => {
    const [broken, fixed] = [await fit('pixels-255'), await fit()]
    report('mnist-dense pixels-255', show(broken), show(fixed))
    expect(broken.accuracy).toBeLessThanOrEqual(0.5)
    expect(fixed.accuracy).toBe(1)
  })
  test('integer-labels: model.fit refuses class ids; one-hot fits', async () => {
    const error = await fitError(() => mnistDense(), mnistData({ perClass: 1, bug: 'integer-labels' }))
    report('mnist-dense integer-labels', `fit throws "${error?.slice(0, 90)}"`, show(await fit()))
    expect(error).toMatch(/shape \[\*,10\].*shape \[10,1\]/)
  })
  test('lr-too-high: rmsprop 1 ends above its start at chance', async () => {
    const [broken, fixed] = [await fit('lr-too-high'), await fit()]
    report('mnist-dense lr-too-high', show(broken), show(fixed))
    expect(broken.last).toBeGreaterThan(broken.first)
    expect(broken.accuracy).toBeLessThanOrEqual(0.2)
    expect(fixed.accuracy).toBe(1)
  })
  test('zeros-init: the loss never leaves ln 10; the default initializer fits', async () => {
    const [broken, fixed] = [await fit('zeros-init'), await fit()]
    report('mnist-dense zeros-init', show(broken), show(fixed))
    expect(broken.last).toBeCloseTo(Math.log(10), 3)
    expect(fixed.accuracy).toBe(1)
  })
})

describe('mnist conv (rmsprop, 2 synthesized digits, 6 epochs: conv is slow on the CPU backend)', () => {
  const classes = [0, 1]
  test('lr-too-high: rmsprop 1 ends above its start; the default falls', async () => {
    const fit = (bug?: 'lr-too-high') => fitOutcome(() => mnistConv(bug), mnistData({ perClass: 1, classes }), { epochs: 6 })
    const [broken, fixed] = [await fit('lr-too-high'), await fit()]
    report('mnist-conv lr-too-high', show(broken), show(fixed))
    expect(broken.last).toBeGreaterThan(broken.first)
    expect(fixed.last).toBeLessThan(fixed.first * 0.8)
  })
  test('integer-labels: model.fit refuses class ids', async () => {
    const error = await fitError(() => mnistConv(), mnistData({ perClass: 1, classes, bug: 'integer-labels' }))
    report('mnist-conv integer-labels', `fit throws "${error?.slice(0, 90)}"`, '(see lr-too-high: the default falls)')
    expect(error).toMatch(/shape \[\*,10\].*shape \[2,1\]/)
  })
})

describe('mnist-core (custom conv net, SGD, 2 synthesized digits, 6 steps)', () => {
  const { x, y } = mnistData({ perClass: 1, classes: [0, 1] })
  const cache = new Map<string, { first: number; last: number }>()
  const train = (bug?: keyof typeof MNIST_CORE_BUGS): { first: number; last: number } => {
    if (!cache.has(bug ?? '')) cache.set(bug ?? '', trainOnce(bug))
    return cache.get(bug ?? '')!
  }
  const trainOnce = (bug?: keyof typeof MNIST_CORE_BUGS): { first: number; last: number } => {
    const trainable = withMathRandom(1, () => mnistCore(bug))
    const xs = tf.tensor(x)
    const ys = tf.tensor(y)
    const optimizer = tf.train.sgd(bug === undefined ? 0.1 : MNIST_CORE_BUGS[bug].learningRate)
    const losses: number[] = []
    try {
      for (let i = 0; i < 6; i++) {
        const cost = optimizer.minimize(() => trainable.loss(xs, ys), true)!
        losses.push(cost.dataSync()[0]!)
        cost.dispose()
      }
    } finally {
      tf.dispose([xs, ys, ...trainable.variables])
      optimizer.dispose()
    }
    return { first: losses[0]!, last: losses[5]! }
  }
  const line = (o: { first: number; last: number }): string => `loss ${o.first.toPrecision(4)} → ${o.last.toPrecision(4)}`
  // With probabilities p (in [0, 1], summing to 1) as its logits, softmaxCrossEntropy is at least
  // −log(e / (e + 9)) = ln(e + 9) − 1 ≈ 1.46 (p one-hot on the right class): the fix must get below that floor.
  const floor = Math.log(Math.E + 9) - 1
  test('softmax-before-loss: the loss stays within 10% of its start; logits fall below the ln(e + 9) − 1 floor', () => {
    const [broken, fixed] = [train('softmax-before-loss'), train()]
    report('mnist-core softmax-before-loss', line(broken), line(fixed))
    expect(broken.last).toBeGreaterThan(broken.first * 0.9)
    expect(fixed.last).toBeLessThan(floor)
  })
  test('lr-too-high: SGD 50 goes non-finite or ends above its start', () => {
    const [broken, fixed] = [train('lr-too-high'), train()]
    report('mnist-core lr-too-high', line(broken), line(fixed))
    expect(!Number.isFinite(broken.last) || broken.last > broken.first).toBe(true)
    expect(fixed.last).toBeLessThan(fixed.first / 2)
  })
})

describe('sentiment flatten (adam, 32 synthesized reviews, 60 epochs)', () => {
  const truth = sentimentData(32)
  const fit = memo((bug?: Parameters<typeof sentimentModel>[1]) =>
    fitOutcome(() => sentimentModel('flatten', bug), sentimentData(32, { bug }), { epochs: 60, labels: truth.y }))

  test('softmax-one-unit: the loss never moves and accuracy stays at the 50% base rate', async () => {
    const [broken, fixed] = [await fit('softmax-one-unit'), await fit()]
    report('sentiment softmax-one-unit', show(broken), show(fixed))
    expect(broken.last).toBe(broken.first)
    expect(broken.accuracy).toBe(0.5)
    expect(fixed.accuracy).toBeGreaterThanOrEqual(0.8)
  })
  test('labels-pm1: accuracy on the true labels lags the 0/1 model', async () => {
    const [broken, fixed] = [await fit('labels-pm1'), await fit()]
    report('sentiment labels-pm1', show(broken) + ' (accuracy on the 0/1 truth)', show(fixed))
    expect(broken.accuracy).toBeLessThanOrEqual(fixed.accuracy - 0.15)
    expect(fixed.accuracy).toBeGreaterThanOrEqual(0.8)
  })
  test('lr-too-high: adam 3 ends above its start', async () => {
    const [broken, fixed] = [await fit('lr-too-high'), await fit()]
    report('sentiment lr-too-high', show(broken), show(fixed))
    expect(broken.last).toBeGreaterThan(broken.first)
    expect(fixed.last).toBeLessThan(fixed.first)
  })
})
