import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, test } from 'vitest'
import { blocks, CATALOGUE, cause, fixFor, type CauseKind } from '../src/findings/catalogue.js'
import type { FixContext, FixKind } from '../src/findings/fixes.js'
import type { ModelInfo } from '../src/subject.js'
import type { Finding, Severity, TrainingRecord } from '../src/types.js'

// One catalogue of causes (src/findings/catalogue.ts): nothing else builds a finding, and each kind's constructor gives
// the same id, title, severity and fix wherever it is called.

const SRC = join(import.meta.dirname, '..', 'src')

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : []
  })
}

/** What writes a finding by hand: an object literal with a checklist id, a severity, or a title string, or a title compared. */
const HAND_BUILT: [what: string, pattern: RegExp][] = [
  ['a checklist id in an object literal', /\bid\s*:\s*(['"`]C\d|\w+\s*\?\s*['"`]C\d)/],
  ['a severity in an object literal', /\bseverity\s*:(?!\s*Severity\b)/],
  ['a title in an object literal', /\btitle\s*:\s*(['"`]|\w+\s*\?)/],
  ['a finding told apart by its title', /\.title\s*[!=]==|[!=]==\s*\w+\.title\b/],
]

function handBuilt(text: string): string[] {
  return text.split('\n').flatMap((line, i) => HAND_BUILT.filter(([, p]) => p.test(line)).map(([what]) => `${i + 1}: ${what}: ${line.trim()}`))
}

describe('nothing outside the catalogue builds a finding', () => {
  test('the detector sees the literals the checks used to write', () => {
    // The patterns below must catch what they are for, or the scan proves nothing.
    expect(handBuilt("own.push({\n  id: 'C5', title: 'learning rate too high', severity: 'error', score: 3,")).toHaveLength(3)
    expect(handBuilt("  id: layered ? 'C10' : 'C8',")).toHaveLength(1)
    expect(handBuilt('  title: cutOff ? CUT_OFF : other,')).toHaveLength(1)
    expect(handBuilt("  failed.push({ ...f, severity: 'info', verification })")).toHaveLength(1)
    expect(handBuilt('  .filter((f) => f.title === STALE)')).toHaveLength(1)
    expect(handBuilt("  return [cause.deadRelu(evidence)]\n  severity: Severity")).toEqual([])
  })

  test('no file under src/ but the catalogue writes an id, title or severity, or filters by title', () => {
    // types.ts declares the Finding interface (`severity: Severity`), which the detector reads past.
    const offenders = sources(SRC)
      .filter((path) => !path.endsWith(join('findings', 'catalogue.ts')))
      .flatMap((path) => handBuilt(readFileSync(path, 'utf8')).map((hit) => `${relative(SRC, path)}:${hit}`))
    expect(offenders).toEqual([])
  })
})

const record: TrainingRecord = { losses: [1, 0.99, 0.98], epochs: 3, stoppedBy: 'maxEpochs', task: 'binary', backend: 'cpu', seed: 42, learningRate: 0.1, optimizer: 'sgd', elapsedMs: 1 }
// A layers model whose linear output feeds binaryCrossentropy: the output fix (C3) has something to change.
const layers: ModelInfo = { kind: 'layers', lossName: 'binaryCrossentropy', outputActivation: 'linear', outputUnits: 1, optimizer: 'sgd', learningRate: 0.1 }
const custom: ModelInfo = { kind: 'custom', lossName: 'custom', optimizer: 'sgd', learningRate: 0.1 }
// The subject is never built: a fix is only looked up here, and the one applied below edits data alone.
const ctx = (info: ModelInfo): FixContext => ({ info, record, subject: (() => undefined) as never })

/**
 * Every kind, built with sample parameters: the id, title and severity it must carry, the mechanical fix it gets on a
 * layers model (and on a custom trainable where that differs), and whether it blocks the run. Written by hand from the
 * checklist, so a catalogue entry that drifts (another id, title or fix for the same cause) fails here.
 */
type Row = [finding: Finding, id: string, title: string, severity: Severity, onLayers: FixKind | undefined, onCustom?: FixKind | undefined, blocking?: true]
const rows: Row[] = [
  [cause.unscaledFeatures('e', { problems: 2, extreme: true }), 'C1', 'unscaled features', 'error', 'preprocess', 'preprocess'],
  [cause.unscaledFeatures('e', { problems: 1, extreme: false }), 'C1', 'unscaled features', 'warning', 'preprocess', 'preprocess'],
  [cause.scaleSensitive('e'), 'C1', 'unscaled features', 'error', 'preprocess', 'preprocess'],
  [cause.targetsOffCenter('e', { meanLabel: 50 }), 'C1', 'targets far from the untrained output', 'error', undefined],
  [cause.inputsOffUnitScale('e'), 'C1', 'inputs far from unit scale', 'error', 'preprocess', 'preprocess'],
  [cause.outliers('e'), 'C2', 'outliers dominate the gradient', 'error', 'preprocess', 'preprocess'],
  // Far targets are fixed in the targets or the loss: scaling x with scalers.robust() leaves them as they are.
  [cause.targetOutliers('e'), 'C2', 'outlying targets dominate the squared error', 'error', undefined],
  [cause.softmaxOverOneUnit('e', { task: 'binary' }), 'C3', 'softmax over one unit', 'error', 'output', undefined, true],
  [cause.normalizedOverOneUnit('e', { loss: 'categoricalCrossentropy' }), 'C3', 'categoricalCrossentropy on one output unit', 'error', 'output', undefined, true],
  [cause.activationAppliedTwice('e', { loss: 'sigmoidCrossEntropy' }), 'C3', 'loss/activation mismatch', 'error', 'output'],
  [cause.softmaxForIndependentLabels('e'), 'C3', 'loss/activation mismatch', 'error', 'output'],
  [cause.notSigmoidForBinaryLoss('e'), 'C3', 'loss/activation mismatch', 'error', 'output'],
  [cause.notSoftmaxForCategoricalLoss('e'), 'C3', 'loss/activation mismatch', 'error', 'output'],
  [cause.probabilitiesForHinge('e'), 'C3', 'loss/activation mismatch', 'error', 'output'],
  [cause.lossForAnotherTask('e', { task: 'binary' }), 'C3', 'loss does not match the task', 'warning', 'output'],
  [cause.probabilitiesScoredAsLogits('e'), 'C3', 'loss/activation mismatch', 'error', 'output'],
  [cause.initialLossAboveChance('e', { task: 'binary', trainedBelowChance: false }), 'C3', 'initial loss far above chance', 'warning', 'output'],
  [cause.initialLossAboveChance('e', { task: 'binary', trainedBelowChance: true }), 'C3', 'initial loss far above chance', 'info', 'output'],
  [cause.initialLossFromChance('e'), 'C3', 'initial loss far from chance', 'error', 'output'],
  [cause.lossFloor('e'), 'C3', 'the loss has a floor above 0', 'error', 'output'],
  [cause.probabilitiesOverflow('e'), 'C3', 'probabilities overflow', 'error', 'output'],
  [cause.outputsLogits('e'), 'C3', 'the model outputs logits', 'error', 'output'],
  [cause.linearOutputForProbabilities('e', { units: 3 }), 'C3', 'loss/activation mismatch', 'error', 'output'],
  [cause.notProbabilities('e'), 'C3', 'outputs are not probabilities', 'error', 'output'],
  [cause.rowsNotNormalized('e'), 'C3', 'softmax does not normalize each row', 'error', 'output'],
  [cause.oneHotForSparseLoss('e'), 'C4', 'labels are one-hot rows, the loss wants class ids', 'error', undefined, undefined, true],
  [cause.classIdsForOneHotLoss('e', { units: 3 }), 'C4', 'labels are class indices, the loss wants one-hot rows', 'error', undefined, undefined, true],
  [cause.classIdsOutOfRange('e', { units: 3, max: 3, fromOne: true }), 'C4', 'class ids outside 0..2', 'error', undefined, undefined, true],
  [cause.signLabelsForBinaryLoss('e'), 'C4', 'labels are -1/1, the loss wants 0/1', 'error', undefined, undefined, true],
  [cause.classIdsForBinaryLoss('e', { max: 4 }), 'C4', 'labels are class ids, the loss wants 0/1', 'error', undefined, undefined, true],
  [cause.labelsOutsideUnitRange('e'), 'C4', 'labels outside [0, 1]', 'error', undefined, undefined, true],
  [cause.labelsNotProbabilityRows('e', { units: 3 }), 'C4', 'labels are not probability rows', 'error', undefined, undefined, true],
  [cause.labelsNotOneHot('e', { rowSum: 2 }), 'C4', 'labels are not one-hot rows', 'error', undefined, undefined, true],
  [cause.binaryLabelsForHinge('e'), 'C4', 'labels are 0/1, the loss wants -1/1', 'error', undefined, undefined, true],
  [cause.labelsShapedUnlikePredictions('e', { prediction: [4, 1] }), 'C4', 'labels shaped unlike the predictions', 'error', undefined, 'labels'],
  [cause.divergedLoss('e', { lr: 1 }), 'C5', 'learning rate too high', 'error', 'learningRate', 'learningRate'],
  [cause.risingLoss('e', { lr: 1 }), 'C5', 'learning rate too high', 'error', 'learningRate', 'learningRate'],
  [cause.oscillatingLoss('e', { lr: 1, share: 0.5 }), 'C5', 'learning rate too high', 'error', 'learningRate', 'learningRate'],
  [cause.divergesAtRate('e', { rate: 1, safe: 0.1 }), 'C5', 'learning rate too high', 'error', 'learningRate', 'learningRate'],
  [cause.nonFinite('e', { lr: 1 }), 'C5', 'training diverges to NaN/Infinity', 'error', 'learningRate', 'learningRate'],
  [cause.numericDrift('e'), 'C5', 'training amplifies numeric differences', 'warning', 'learningRate', 'learningRate'],
  [cause.rateTooLow('e', { lr: 1e-4, moved: 0.01 }), 'C6', 'learning rate too low', 'error', 'learningRate', 'learningRate'],
  [cause.stillFalling('e', { lr: 1e-4 }), 'C6', 'learning rate too low or too few epochs', 'info', 'learningRate', 'learningRate'],
  [cause.stallsAtRate('e', { works: 0.1 }), 'C6', 'learning rate too low', 'error', 'learningRate', 'learningRate'],
  [cause.crawlingLoss('e', { lr: 1e-4, moved: 0.01 }), 'C6', 'learning rate too low', 'error', 'learningRate', 'learningRate'],
  // Both C7 kinds are verified by a wider model (capacity-fix.ts); a custom trainable's layers are its code.
  [cause.cannotOverfit('e'), 'C7', 'cannot overfit the training samples', 'error', 'capacity'],
  [cause.tooLittleCapacity('e'), 'C7', 'the loss levels off far above 0: too little capacity', 'warning', 'capacity'],
  [cause.inputCutOff('e'), 'C8', 'the input does not reach the output', 'error', undefined],
  [cause.sameOutput('e', { oneClass: true }), 'C8', 'predicts the same class for every input', 'error', undefined],
  [cause.sameOutput('e', { oneClass: false }), 'C8', 'predicts the same output for every input', 'error', undefined],
  [cause.identicalInputs('e'), 'C8', 'every training input is the same', 'error', undefined],
  [cause.noGradient('e'), 'C8', 'gradients ≈ 0: the loss cannot move at any learning rate', 'error', undefined],
  [cause.deadRelu('e'), 'C9', 'dead ReLU units', 'error', 'initialization'],
  [cause.saturatedUnits('e', { activation: 'tanh' }), 'C9', 'saturated tanh units', 'warning', 'initialization'],
  [cause.explodingGradients('e'), 'C10', 'exploding gradients', 'error', 'initialization'],
  [cause.vanishingGradients('e'), 'C10', 'vanishing gradients', 'error', 'initialization'],
  [cause.noGradientThroughDepth('e'), 'C10', 'gradients ≈ 0: the loss cannot move at any learning rate', 'error', 'initialization'],
  [cause.symmetricInit('e'), 'C11', 'symmetric weight initialization', 'error', 'initialization'],
  [cause.seedDependent('e', { replay: 7 }), 'C11', 'result depends on the initialization', 'error', 'initialization'],
  [cause.unseededRandomness('e', { atInitialization: true }), 'C11', 'randomness outside the seed at initialization', 'error', undefined],
  [cause.unseededRandomness('e', { atInitialization: false }), 'C11', 'randomness outside the seed during training', 'error', undefined],
  [cause.backendInitDiffers('e'), 'C11', 'initialization differs between backends', 'warning', undefined],
  [cause.precisionStall('e'), 'C12', 'updates lost to numeric precision', 'error', 'precision', 'precision'],
  [cause.reducedPrecision('e', { raiseTo: 0.5 }), 'C12', 'reduced precision blocks convergence', 'error', 'precision', 'precision'],
  [cause.overfitting('e', { shifted: false, stopAt: undefined }), 'C13', 'overfitting: train/validation gap', 'error', undefined],
  [cause.overfitting('e', { shifted: true, stopAt: 4 }), 'C13', 'overfitting: train/validation gap', 'warning', undefined],
  [cause.validationShifted('e'), 'C14', 'validation data differs from training data', 'error', undefined],
  [cause.validationOutOfRange('e'), 'C14', 'validation data outside the training range', 'error', undefined],
  [cause.preprocessInconsistent('e'), 'C14', 'preprocessing differs between train and test', 'error', undefined],
  [cause.nothingToTrain('e', { model: 'layers' }), 'C15', 'nothing to train', 'error', 'unfreeze', undefined, true],
  [cause.staleWeights('e'), 'C15', 'trainable weights never change', 'error', undefined],
  [cause.untrainableVariables('e'), 'C15', 'listed variables can never learn', 'error', undefined],
  [cause.frozenWeightsChange('e'), 'C15', 'frozen weights change', 'error', undefined],
  [cause.frozenWeights('e'), 'C15', 'frozen weights in a model that does not learn', 'warning', 'unfreeze', 'unfreeze'],
  [cause.unlistedVariables('e'), 'C15', 'a variable the loss reads is not trained', 'warning', 'unfreeze', 'unfreeze'],
  [cause.batchMixing('e'), 'C16', 'samples leak into each other', 'error', undefined],
]

describe('each kind, one cause', () => {
  test('every kind in the catalogue is pinned below', () => {
    expect(new Set(rows.map(([f]) => f.kind))).toEqual(new Set(Object.keys(CATALOGUE)))
  })

  test.each(rows.map((r) => [`${r[0].kind} ${JSON.stringify(r[0].params) ?? ''}`, ...r] as const))(
    '%s',
    (_, finding, id, title, severity, onLayers, onCustom, blocking) => {
      expect(finding).toMatchObject({ id, title, severity, evidence: 'e' })
      // A score on the one scale (catalogue.ts): 0 to 10.
      expect(finding.score).toBeGreaterThanOrEqual(0)
      expect(finding.score).toBeLessThanOrEqual(10)
      expect(fixFor(finding, ctx(layers))?.kind).toBe(onLayers)
      expect(fixFor(finding, ctx(custom))?.kind).toBe(onCustom)
      expect(blocks(finding)).toBe(blocking === true)
    },
  )

  test('a title names one checklist item: no two kinds share a title under different ids', () => {
    const idOf = new Map<string, string>()
    const clashes = rows.flatMap(([f]) => {
      const known = idOf.get(f.title)
      idOf.set(f.title, f.id)
      return known !== undefined && known !== f.id ? [`${f.title}: ${known} and ${f.id}`] : []
    })
    // gradients ≈ 0 is C10 through a layer stack, C8 when nothing says where the gradient is lost: one title, two causes.
    expect(clashes).toEqual(['gradients ≈ 0: the loss cannot move at any learning rate: C8 and C10'])
  })

  test('the drifts resolved: one score, title and fix per cause wherever it is built', () => {
    // C16 scored 8 in the batch check and 7 in diagnose(); C10 6 and 5, with two fixes for exploding gradients; C9 two fixes.
    expect(cause.batchMixing('a')).toMatchObject({ score: 7 })
    expect(cause.explodingGradients('a')).toMatchObject({ score: 5, fix: 'use a smaller initialization such as glorotUniform, standardize the inputs, or clip gradients' })
    expect(cause.vanishingGradients('a').score).toBe(5)
    expect(cause.deadRelu('a').fix).toBe('lower the learning rate, use leakyReLU/elu, or start biases at 0 with he initialization')
    expect(cause.saturatedUnits('a', { activation: 'sigmoid' }).fix).toBe('standardize the inputs (scalers.standard()) and use a smaller initialization, or switch to relu')
    // C8: one title per what the outputs show (one class, one value), and a cut-off input says how to connect it.
    expect(cause.inputCutOff('a').fix).toBe('connect the input to the output: look for frozen or zeroed layers')
  })
})

describe('fix texts and mechanical fixes read the typed parameters', () => {
  test('rate fixes are written from the run\'s rate', () => {
    expect(cause.divergedLoss('a', { lr: 1 }).fix).toBe('try lr 0.1')
    expect(cause.divergedLoss('a', { lr: undefined }).fix).toBe('lower the learning rate')
    expect(cause.nonFinite('a', { lr: 0.5 }).fix).toBe('try lr 0.05, clip gradients, or guard log/division against 0')
    expect(cause.divergesAtRate('a', { rate: 1, safe: 0.01 }).fix).toBe('keep lr ≤ 0.01, or clip gradients / use an adaptive optimizer')
    expect(cause.divergesAtRate('a', { rate: 1, safe: undefined }).fix).toBe('lower the learning rate below 1')
    // Loss moved 1%: 0.5 / 0.01 = ×50, the decade ×10 to ×100.
    expect(cause.rateTooLow('a', { lr: 1e-4, moved: 0.01 }).fix).toBe('try lr 0.001 to 0.01, or train longer')
    expect(cause.crawlingLoss('a', { lr: 1e-4, moved: 0.01 }).fix).toBe('try lr 0.001 to 0.01, or an optimizer whose rate does not decay (adam)')
    expect(cause.crawlingLoss('a', { lr: 1e-4, moved: 0.25 }).score).toBe(0.75)
    expect(cause.oscillatingLoss('a', { lr: 1, share: 0.5 }).score).toBe(1.5)
    expect(cause.rateTooLow('a', { lr: 1e-4, moved: 0.25 }).score).toBe(0.75)
  })

  test('config kinds write their fix from the loss and the labels', () => {
    expect(cause.classIdsOutOfRange('a', { units: 3, max: 3, fromOne: true }).fix).toBe('subtract 1 from the labels so that they start at 0')
    expect(cause.classIdsOutOfRange('a', { units: 3, max: 5, fromOne: false }).fix).toBe('use as many output units as classes (6), or remap the ids to 0..2')
    expect(cause.activationAppliedTwice('a', { loss: 'softmaxCrossEntropy' }).fix).toBe("use activation 'linear' on the output, or loss 'categoricalCrossentropy' on probabilities")
    expect(cause.overfitting('a', { shifted: false, stopAt: 4 }).fix).toMatch(/, or stop near epoch 4$/)
  })

  test('the C4 reshape takes its per-sample shape from the finding\'s params, not from its evidence text', () => {
    const finding = cause.labelsShapedUnlikePredictions('no shape written here', { prediction: [4, 2] })
    const fix = fixFor(finding, ctx(custom))!
    expect(fix.code).toBe('y.reshape([-1, 2])')
    const target = fix.apply({ subject: {} as never, options: {}, data: { x: [[0], [1], [2], [3]], y: [1, 2, 3, 4, 5, 6, 7, 8] } })
    expect(target.data).toEqual({ x: [[0], [1], [2], [3]], y: [[1, 2], [3, 4], [5, 6], [7, 8]] })
  })

  test('the frozen and unlisted candidates get their own fixes, not the config\'s unfreeze', () => {
    expect(fixFor(cause.frozenWeights('a'), ctx(layers))).toMatchObject({ key: 'unfreeze weights', decisive: true })
    expect(fixFor(cause.unlistedVariables('a'), ctx(custom))).toMatchObject({ key: 'list variables', decisive: true })
    expect(fixFor(cause.nothingToTrain('a', { model: 'layers' }), ctx(layers))).toMatchObject({ key: 'unfreeze' })
  })

  test('kinds are told apart by kind: the same id and title, different kinds, different fixes', () => {
    const kinds: CauseKind[] = ['notSigmoidForBinaryLoss', 'notSoftmaxForCategoricalLoss']
    const [a, b] = [cause.notSigmoidForBinaryLoss('a'), cause.notSoftmaxForCategoricalLoss('a')]
    expect([a.kind, b.kind]).toEqual(kinds)
    expect(a.title).toBe(b.title)
    expect(a.fix).not.toBe(b.fix)
  })
})
