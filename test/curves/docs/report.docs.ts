// The suite docs/reporter-report.png shows (scripts/report-screenshot.sh): two broken corpus models and a healthy one.
import { expect, test } from 'vitest'
import type { TrainValidation } from '../../../src/checks/define.js'
import type { Dataset } from '../../../src/types.js'
import { broken, healthy } from '../../fixtures/corpus.js'

const byName = (name: string) => broken.find((s) => s.name === name)!
test('the regression MLP at lr 3 reduces its loss', async () => {
  const s = byName('learning rate too high')
  await expect(s.subject).toReduceLossMonotonically(s.data as Dataset)
})
test('the wide MLP generalizes', async () => {
  const s = byName('memorizes random labels')
  await expect(s.subject).toGeneralize(s.data as TrainValidation)
})
test('the binary MLP overfits a tiny dataset', async () => {
  const s = healthy[0]!
  await expect(s.subject).toOverfitTinyDataset(s.data as Dataset)
})
