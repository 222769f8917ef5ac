#!/usr/bin/env node
// The package as a consumer gets it: `npm pack` (prepack builds dist/ and writes the published manifest), then,
// in a fresh project outside this repository,
//   1. install the tarball with @tensorflow/tfjs as its only peer: the install prints nothing of ours, and no
//      optional peer (fast-check, vitest, jest, tfjs-node) is pulled in;
//   2. `trainability` loads through import and require without fast-check; `trainability/arbitraries` names
//      fast-check as what is missing;
//   3. install vitest (again printing nothing of ours) and run a test that imports `trainability/vitest` and
//      awaits a matcher, then type-check that test with this repository's TypeScript (the vitest matcher types,
//      and `Evidence` importable from `trainability`);
//   4. install fast-check: `trainability/arbitraries` loads through import and require, and has types;
//   5. install @tensorflow/tfjs-node with --ignore-scripts (where its install script cannot reach its download host,
//      that is where a user ends up): `npx trainability native --check` says cpu and why, `npx trainability native`
//      provisions it (from the TensorFlow wheel, cached per machine under ~/.cache/trainability), then `--check` says
//      tensorflow, and checks.* and a vitest matcher report backend tensorflow.
// Installs prefer the local npm cache (--prefer-offline). Exit 0 when every step holds, 1 otherwise.
// Usage: node scripts/consumer-check.mjs [--tarball path.tgz] [--keep]
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const repo = resolve(import.meta.dirname, '..')
const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'))
const args = process.argv.slice(2)
const keep = args.includes('--keep')
const given = args.includes('--tarball') ? resolve(args[args.indexOf('--tarball') + 1]) : undefined
const started = Date.now()
const seconds = (since = started) => `${((Date.now() - since) / 1000).toFixed(1)} s`

// The consumer's npm sees none of this repository's npm configuration (a parent `npm run` exports npm_config_*).
const env = { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k))), NO_COLOR: '1', FORCE_COLOR: '0' }
const run = (command, commandArgs, cwd) => {
  const result = spawnSync(command, commandArgs, { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
  return { ok: result.status === 0, out: `${result.stdout ?? ''}${result.stderr ?? ''}`.trim(), error: result.error }
}
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'

const failures = []
const check = (ok, what, detail = '') => {
  console.log(`  ${ok ? 'ok  ' : 'FAIL'} ${what}${!ok && detail ? `\n${detail.replace(/^/gm, '       ')}` : ''}`)
  if (!ok) failures.push(what)
}
const indent = (text) => (text ? text.replace(/^/gm, '    | ') : '    | (nothing)')
// Lines of an install's output that come from us: our name, or our scripts.
const ours = (out) => out.split('\n').filter((l) => /trainability|provision-native|publish-manifest/i.test(l))

const work = mkdtempSync(join(tmpdir(), 'trainability-consumer-'))
try {
  // 0. The tarball, exactly as `npm publish` would build it.
  let tarball = given
  if (!tarball) {
    const t = Date.now()
    const packs = join(work, 'pack')
    mkdirSync(packs)
    const packed = run(npm, ['pack', '--pack-destination', packs], repo)
    const file = readdirSync(packs).find((f) => f.endsWith('.tgz'))
    if (!packed.ok || !file) throw new Error(`npm pack failed:\n${packed.out.split('\n').slice(-15).join('\n')}`)
    tarball = join(packs, file)
    console.log(`packed ${file} (build + pack ${seconds(t)})`)
  }
  const manifest = JSON.parse(run('tar', ['-xOzf', tarball, 'package/package.json'], work).out)
  check(!manifest.scripts && !manifest.devEngines && !manifest.allowScripts && !manifest.engines?.npm,
    'the published manifest has no scripts, devEngines, allowScripts or engines.npm', JSON.stringify({ scripts: manifest.scripts, engines: manifest.engines }))

  const project = join(work, 'consumer')
  mkdirSync(project)
  writeFileSync(join(project, 'package.json'), `${JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, type: 'module' }, null, 2)}\n`)
  const tfjs = `@tensorflow/tfjs@${pkg.devDependencies['@tensorflow/tfjs']}`
  const install = (specs, flags = []) => {
    const t = Date.now()
    const result = run(npm, ['install', '--prefer-offline', '--no-audit', '--no-fund', ...flags, ...specs], project)
    console.log(`$ npm install --prefer-offline --no-audit --no-fund ${[...flags, ...specs.map((s) => (s === tarball ? '<tarball>' : s))].join(' ')}   (${seconds(t)})\n${indent(result.out)}`)
    if (!result.ok) throw new Error(`npm install failed in ${project} (offline without the packages in the npm cache, or no registry)`)
    return result.out
  }

  // 1. The tarball with tfjs as its only peer.
  const first = install([tarball, tfjs])
  check(ours(first).length === 0, 'installing the tarball prints nothing of ours', ours(first).join('\n'))
  const present = ['fast-check', 'vitest', 'jest', '@tensorflow/tfjs-node'].filter((p) => existsSync(join(project, 'node_modules', p)))
  check(present.length === 0, 'no optional peer is installed with it', `installed: ${present.join(', ')}`)

  // 2. Both module systems, without fast-check.
  const esm = run(process.execPath, ['--input-type=module', '-e', `
    const t = await import('trainability')
    const names = ['checks', 'datasets', 'diagnose', 'matchers', 'scalers', 'withSeed'].filter((n) => !(n in t))
    if (names.length) throw new Error('missing exports: ' + names)
    if ('arbitraries' in t) throw new Error('the main entry still exports arbitraries')
    console.log('esm ok')`], project)
  check(esm.ok && esm.out.endsWith('esm ok'), "import('trainability') without fast-check", esm.out)
  const cjs = run(process.execPath, ['-e', `
    const t = require('trainability')
    if (typeof t.diagnose !== 'function' || !t.checks) throw new Error('missing exports')
    console.log('cjs ok')`], project)
  check(cjs.ok && cjs.out.endsWith('cjs ok'), "require('trainability') without fast-check", cjs.out)
  const arb = run(process.execPath, ['--input-type=module', '-e', "await import('trainability/arbitraries')"], project)
  check(!arb.ok && /Cannot find (package|module) 'fast-check'/.test(arb.out), "import('trainability/arbitraries') without fast-check names fast-check as missing", arb.out)

  // 3. The vitest entry in a real vitest run, and its types.
  const second = install([`vitest@${pkg.devDependencies.vitest}`])
  check(ours(second).length === 0, 'installing vitest next to it prints nothing of ours', ours(second).join('\n'))
  writeFileSync(join(project, 'consumer.test.ts'), `import * as tf from '@tensorflow/tfjs'
import { expect, test } from 'vitest'
import 'trainability/vitest'
import { diagnose, type Evidence } from 'trainability'

const build = (): tf.LayersModel => {
  const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1] })] })
  model.compile({ loss: tf.losses.sigmoidCrossEntropy, optimizer: tf.train.sgd(1) })
  return model
}
const data = { x: [[-1], [1]], y: [1, 0] }

test('the matchers of trainability/vitest run in a consumer project', async () => {
  await expect(build).toOverfitTinyDataset(data)
  await expect(expect(build).not.toStayFinite(data)).rejects.toThrow(/expected model not to keep loss, weights and gradients finite/)
  const evidence: Evidence = (await diagnose(build, data, { maxEpochs: 5 })).evidence
  expect(evidence.gradients.first.length).toBeGreaterThan(0)
})
`)
  const t = Date.now()
  const vitest = run(process.execPath, [join(project, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--reporter=dot', '--reporter=trainability/reporter'], project)
  check(vitest.ok && /1 passed/.test(vitest.out), `vitest run: import 'trainability/vitest' and await a matcher (${seconds(t)})`, vitest.out.split('\n').slice(-25).join('\n'))
  const page = join(project, 'trainability-report.html')
  check(existsSync(page) && /1 of 2 trainability assertions failed/.test(readFileSync(page, 'utf8')), "--reporter=trainability/reporter writes trainability-report.html with the test's two assertions (the .not.toStayFinite one, awaited by .rejects, failed)", vitest.out.split('\n').slice(-10).join('\n'))
  writeFileSync(join(project, 'tsconfig.json'), `${JSON.stringify({
    compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, skipLibCheck: true, types: [] },
    files: ['consumer.test.ts'],
  }, null, 2)}\n`)
  const tsc = run(process.execPath, [join(repo, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], project)
  check(tsc.ok, 'tsc: the consumer test type-checks (matcher types from trainability/vitest, Evidence from trainability)', tsc.out)

  // 4. trainability/arbitraries once the consumer installs fast-check: import, require and types.
  const third = install([`fast-check@${pkg.devDependencies['fast-check']}`])
  check(ours(third).length === 0, 'installing fast-check next to it prints nothing of ours', ours(third).join('\n'))
  const both = ['--input-type=module', '-e', `
    import fc from 'fast-check'
    import { linearlySeparable } from 'trainability/arbitraries'
    const { createRequire } = await import('node:module')
    const cjs = createRequire(process.cwd() + '/')('trainability/arbitraries')
    for (const arbitrary of [linearlySeparable({ features: 2 }), cjs.xor()]) {
      const [d] = fc.sample(arbitrary, { seed: 1, numRuns: 1 })
      if (!(d.x.length === d.y.length && d.x.length >= 2)) throw new Error('bad dataset ' + JSON.stringify(d))
    }
    console.log('arbitraries ok')`]
  const withFc = run(process.execPath, both, project)
  check(withFc.ok && withFc.out.endsWith('arbitraries ok'), 'with fast-check: import and require trainability/arbitraries draw datasets', withFc.out)
  writeFileSync(join(project, 'arbitraries.ts'), `import * as arbitraries from 'trainability/arbitraries'
const data: arbitraries.GeneratedDataset[] = []
export const arbitrary = arbitraries.scaled(arbitraries.linearlySeparable({ features: 2 }))
export { data }
`)
  writeFileSync(join(project, 'tsconfig.arbitraries.json'), `${JSON.stringify({ extends: './tsconfig.json', files: ['arbitraries.ts'] }, null, 2)}\n`)
  const tscArb = run(process.execPath, [join(repo, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.arbitraries.json'], project)
  check(tscArb.ok, 'tsc: trainability/arbitraries has types', tscArb.out)

  // 5. The native backend, the way a user gets it.
  install([`@tensorflow/tfjs-node@${pkg.devDependencies['@tensorflow/tfjs-node']}`], ['--ignore-scripts'])
  const npx = (...commandArgs) => {
    const t = Date.now()
    const result = run(process.platform === 'win32' ? 'npx.cmd' : 'npx', ['--no', 'trainability', ...commandArgs], project)
    console.log(`$ npx trainability ${commandArgs.join(' ')}   (${seconds(t)})\n${indent(result.out)}`)
    return result
  }
  const before = npx('native', '--check')
  check(before.ok && /^backend: cpu — why: tfjs-node's binding was never built.* — fix: npx trainability native$/m.test(before.out),
    'before provisioning, `trainability native --check` says cpu, why, and the fix', before.out)
  const provisioned = npx('native')
  check(provisioned.ok && /^trainability: native backend ready in /m.test(provisioned.out), '`npx trainability native` provisions tfjs-node in the consumer project', provisioned.out)
  const after = npx('native', '--check', '--strict')
  check(after.ok && /^backend: tensorflow \(native, libtensorflow \d+\.\d+\S* at \S+\)$/m.test(after.out), 'after it, `trainability native --check --strict` says tensorflow', after.out)
  const trained = run(process.execPath, ['--input-type=module', '-e', `
    import * as tf from '@tensorflow/tfjs'
    import { checks } from 'trainability'
    const build = () => {
      const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1] })] })
      model.compile({ loss: 'meanSquaredError', optimizer: 'sgd' })
      return model
    }
    const result = await checks.overfit(build, { x: [[-1], [1]], y: [1, 0] }, { maxEpochs: 5 })
    console.log('backend ' + result.record.backend)`], project)
  check(trained.ok && /^backend tensorflow$/m.test(trained.out), 'checks.overfit in the consumer project trains on backend tensorflow', trained.out)
  writeFileSync(join(project, 'native.test.ts'), `import * as tf from '@tensorflow/tfjs'
import { expect, test } from 'vitest'
import 'trainability/vitest'

test('a matcher names backend tensorflow', async () => {
  const build = () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1] })] })
    model.compile({ loss: tf.losses.sigmoidCrossEntropy, optimizer: tf.train.sgd(1) })
    return model
  }
  await expect(expect(build).not.toOverfitTinyDataset({ x: [[-1], [1]], y: [1, 0] })).rejects.toThrow(/backend tensorflow/)
})
`)
  const t5 = Date.now()
  const nativeVitest = run(process.execPath, [join(project, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--reporter=dot', 'native.test.ts'], project)
  check(nativeVitest.ok && /1 passed/.test(nativeVitest.out), `vitest run: a matcher's message says backend tensorflow (${seconds(t5)})`, nativeVitest.out.split('\n').slice(-25).join('\n'))
} catch (error) {
  check(false, String(error.message ?? error))
} finally {
  if (keep) console.log(`kept ${work}`)
  else rmSync(work, { recursive: true, force: true })
}

console.log(failures.length ? `consumer check: ${failures.length} failed (${seconds()})` : `consumer check: all passed (${seconds()})`)
process.exitCode = failures.length ? 1 : 0
