import { beforeAll } from 'vitest'
import 'trainability/vitest'
import { pickBackend } from '../src/backend.js'

// `npm test` says which backend each test file trained on.
beforeAll(async () => {
  console.info(`trainability backend: ${await pickBackend()}`)
})
