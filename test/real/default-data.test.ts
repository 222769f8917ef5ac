// The default tiny dataset (no dataset given) is valid for every tfjs-examples model here: it is built from the model's
// own shapes, one sample per class: token ids below the Embedding's inputDim, 28×28×1 images, the class at every
// position of a sequence. One epoch each: the test is that the data fits the model, not that it trains.
import { checks } from 'trainability'
import { describe, expect, test } from 'vitest'
import { additionModel } from './models/addition-rnn.js'
import { bostonModel } from './models/boston.js'
import { irisModel } from './models/iris.js'
import { mnistConv, mnistDense } from './models/mnist.js'
import { sentimentModel } from './models/sentiment.js'

const models = [
  { name: 'iris (softmax over 3)', build: () => irisModel(), samples: 3 },
  { name: 'boston mlp2 (regression)', build: () => bostonModel('mlp2'), samples: 2 },
  { name: 'mnist dense (28×28×1 → 10)', build: () => mnistDense(), samples: 10 },
  { name: 'mnist conv (28×28×1 → 10)', build: () => mnistConv(), samples: 10 },
  { name: 'addition-rnn (sequence of 2 softmaxes over 12)', build: () => additionModel({ hiddenSize: 16, rnnType: 'LSTM', digits: 1 }), samples: 12 },
  { name: 'sentiment cnn (token ids)', build: () => sentimentModel('cnn'), samples: 2 },
]

describe('toOverfitTinyDataset() with no dataset', () => {
  test.each(models)('$name: one sample per class, built from its shapes', async ({ build, samples }) => {
    const result = await checks.overfit(build, { maxEpochs: 1 })
    expect(result.record.epochs).toBe(1)
    expect(result.message).toMatch(new RegExp(`^expected model to overfit ${samples} samples`, 'm'))
  })
})
