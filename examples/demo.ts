// `npm run demo`: runs the matchers' checks on the bundled examples and prints each report.
import { checks, scalers, type CheckResult } from 'trainability'
import { linearMse, oneNeuron, rawFeatures, twoPoints } from './models.js'

const runs: [title: string, run: () => Promise<CheckResult>][] = [
  ['one neuron at lr 1e-4 (stuck): toOverfitTinyDataset', () => checks.overfit(oneNeuron(1e-4), twoPoints)],
  ['one neuron at lr 1 (fixed): toOverfitTinyDataset', () => checks.overfit(oneNeuron(1), twoPoints)],
  ['raw features ×100 with MSE: toBeScaleInvariant', () => checks.scaleInvariance(linearMse, rawFeatures())],
  ['same model, scalers.standard(): toBeScaleInvariant', () => checks.scaleInvariance({ model: linearMse, preprocess: scalers.standard() }, rawFeatures())],
]

for (const [title, run] of runs) {
  const result = await run()
  console.log(`\n${result.pass ? 'PASS' : 'FAIL'}  ${title}\n`)
  console.log(result.pass ? result.message.replace(/^expected model not to (.*), but it did/, 'model did $1') : result.message)
}
