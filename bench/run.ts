// `npm run bench`: speed figures, printed as ratios and medians measured in one run. Never part of `npm test`.
import * as tf from '@tensorflow/tfjs'
import { overhead } from './overhead.js'
import { matcherTimes } from './matchers.js'
import { diagnoseCost } from './diagnose.js'
import { verifyCost } from './verify.js'
import { backendSpeed } from './backends.js'
import { propertyTimes } from './property.js'
import { largeData } from './large-data.js'
import { budgetBench } from './budget.js'
import { sharedRuns } from './shared.js'
import { curvesCost } from './curves.js'

// Everything but the backend comparison runs on the CPU backend, so figures compare across machines.
process.env.TRAINABILITY_BACKEND = 'cpu'
await tf.setBackend('cpu')
await overhead(9)
await matcherTimes('cpu', 5)
await diagnoseCost(5)
await verifyCost(5)
await propertyTimes(3)
await budgetBench()
await curvesCost(5)
delete process.env.TRAINABILITY_BACKEND
await backendSpeed(5)
await sharedRuns(5) // the doctor and a test file with shared runs vs cache: false; probes and kernels per step; on native
await largeData() // native when it loads, as a user's suite runs: one child process per case
