// `npm run demo`: the doctor on the two bundled models of simplest-binary-classification-thread.md.
// The stuck one fails (exit 1), the fixed one passes; the demo itself exits 0 unless the doctor breaks.
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const runs = [
  ['stuck: one sigmoid unit, SGD at lr 1e-4', 'examples/models/stuck/model.json', 'examples/models/data.json'],
  ['fixed: the same unit, SGD at lr 1', 'examples/models/fixed/model.json', 'examples/models/data.csv'],
]
for (const [title, model, data] of runs) {
  const command = `trainability doctor --model ${model} --data ${data}`
  console.log(`\n=== ${title}\n$ ${command}\n`)
  const { status } = spawnSync(process.execPath, ['dist/cli.js', 'doctor', '--model', model, '--data', data], { cwd: root, stdio: 'inherit' })
  console.log(`(exit code ${status})`)
  if (status !== 0 && status !== 1) process.exit(status ?? 2)
}
