// one-neuron-classifier-not-training.md: features in the hundreds, a linear unit trained with MSE.
// The answer: standardize the features and use a sigmoid output with binary cross-entropy.
import { expect, test } from 'vitest'
import 'trainability/vitest'
import { scalers } from 'trainability'
import { linearMse, rawFeatures, sigmoidBce } from './models.js'

test('broken: raw features with MSE train differently once the features are rescaled', async () => {
  await expect(linearMse).not.toBeScaleInvariant(rawFeatures())
})

test('fixed: standardized features with binary cross-entropy train the same at any scale', async () => {
  await expect({ model: sigmoidBce, preprocess: scalers.standard() }).toBeScaleInvariant(rawFeatures())
})
