// Loss families by what they expect of the output and the labels: the compatibility table the config rules (config.ts)
// and the output fix (fixes.ts) both read.

export const BINARY_PROBABILITY = /^(binaryCrossentropy|logLoss)$/i
export const CATEGORICAL_PROBABILITY = /^(categoricalCrossentropy|sparseCategoricalCrossentropy|kullbackLeiblerDivergence|kld)$/i
export const LOGITS = /^(sigmoidCrossEntropy|softmaxCrossEntropy)$/i
export const ONE_HOT = /^(categoricalCrossentropy|softmaxCrossEntropy|kullbackLeiblerDivergence|kld|categoricalHinge)$/i
export const HINGE = /^(hinge|squaredHinge)$/i
export const REGRESSION = /^(meanSquaredError|mse|meanAbsoluteError|mae|meanAbsolutePercentageError|mape|meanSquaredLogarithmicError|msle|logcosh|huberLoss|absoluteDifference)$/i
