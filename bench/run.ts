// `npm run bench`: speed figures, printed as ratios and medians measured in one run. Never part of `npm test`.
import * as tf from '@tensorflow/tfjs'
import { overhead } from './overhead.js'
import { matcherTimes } from './matchers.js'
import { diagnoseCost } from './diagnose.js'

process.env.TRAINABILITY_BACKEND = 'cpu'
await tf.setBackend('cpu')
await overhead(9)
await matcherTimes('cpu', 5)
await diagnoseCost(5)
