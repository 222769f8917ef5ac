// Under jest, the suite's `import { expect, test } from 'vitest'` reads jest's own globals.
module.exports = { expect: globalThis.expect, test: globalThis.test }
