import { execFile, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { findNativeProject, NoTfjsNode } from '../src/native/project.js'
import { WHEEL, wheelFits } from '../src/native/provision.js'
import { summarize } from '../src/native/status.js'

// `trainability native` as users run it: the built executable (npm test builds dist/ first). Nothing here downloads
// or builds: the error paths run in scratch projects with an empty PATH (no pip, no compiler) and an empty cache.
const root = join(import.meta.dirname, '..')
const cli = join(root, 'dist', 'cli.js')
const scratch = mkdtempSync(join(tmpdir(), 'trainability-native-'))

function trainability(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { cwd: options.cwd ?? root, env: { ...process.env, TRAINABILITY_BACKEND: '', ...options.env } }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr })
    })
  })
}
const ours = (stderr: string): string[] => stderr.split('\n').filter((line) => line.startsWith('trainability: '))

// The expectation, independent of the library's backend code (as in test/dist.test.ts).
const nativeLoads = spawnSync(process.execPath, ['-e', "const tf = require('@tensorflow/tfjs-node'); if (!tf.engine().registryFactory.tensorflow) process.exit(1)"], {
  cwd: root,
  stdio: 'ignore',
}).status === 0

/** A project dir with a package.json; with `tfjsNode`, a stand-in @tensorflow/tfjs-node carrying the real package's binary fields. */
function project(name: string, tfjsNode = false): string {
  const dir = join(scratch, name)
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, version: '1.0.0', private: true }))
  if (tfjsNode) {
    const real = JSON.parse(readFileSync(join(root, 'node_modules', '@tensorflow', 'tfjs-node', 'package.json'), 'utf8')) as { version: string; binary: unknown }
    const pkg = join(dir, 'node_modules', '@tensorflow', 'tfjs-node')
    mkdirSync(join(pkg, 'binding'), { recursive: true })
    writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: '@tensorflow/tfjs-node', version: real.version, binary: real.binary }))
    writeFileSync(join(pkg, 'binding', 'tfjs_backend.cc'), '#include "tensorflow/c/c_api.h"\n')
  }
  return dir
}
const noTools = { PATH: join(scratch, 'empty-bin') } // no python3, pip, make or g++
mkdirSync(noTools.PATH, { recursive: true })

describe('trainability native --check', () => {
  it(`says ${nativeLoads ? 'tensorflow, with the libtensorflow version and path' : 'cpu, why and the fix'} in this repository`, async () => {
    const { code, stdout } = await trainability(['native', '--check'])
    expect(code).toBe(0)
    const line = stdout.trim()
    if (nativeLoads) {
      const match = /^backend: tensorflow \(native, libtensorflow (\d+\.\d+\.\d+) at (\S+)\)$/.exec(line)
      expect(match, line).not.toBeNull()
      expect(existsSync(match![2]!)).toBe(true)
    } else {
      expect(line).toMatch(/^backend: cpu — why: .+ — fix: npx trainability native$/)
    }
  })

  it('says cpu when TRAINABILITY_BACKEND forces it, and whether native would load', async () => {
    const { code, stdout } = await trainability(['native', '--check'], { env: { TRAINABILITY_BACKEND: 'cpu' } })
    expect(code).toBe(0)
    expect(stdout.trim()).toMatch(new RegExp(`^backend: cpu — why: TRAINABILITY_BACKEND=cpu forces it \\(native ${nativeLoads ? 'would load\\)' : 'would not: .+\\)'} — fix: unset TRAINABILITY_BACKEND for native$`))
  })

  it('with --strict exits 1 when tests get no native backend; says none for an invalid TRAINABILITY_BACKEND', async () => {
    const forced = await trainability(['native', '--check', '--strict'], { env: { TRAINABILITY_BACKEND: 'cpu' } })
    expect(forced.code).toBe(1)
    const invalid = await trainability(['native', '--check', '--strict'], { env: { TRAINABILITY_BACKEND: 'gpu' } })
    expect(invalid.code).toBe(1)
    expect(invalid.stdout.trim()).toBe(
      `backend: none — why: TRAINABILITY_BACKEND must be one of 'auto', 'tensorflow', 'cpu', received "gpu" — fix: set TRAINABILITY_BACKEND to auto, tensorflow or cpu, or unset it`,
    )
  })

  it.skipIf(!nativeLoads)('with --strict exits 0 on tensorflow', async () => {
    const { code, stdout } = await trainability(['native', '--check', '--strict'])
    expect(code).toBe(0)
    expect(stdout).toMatch(/^backend: tensorflow /)
  })

  it('summarizes the load errors of @tensorflow/tfjs-node, with the fix', () => {
    // The first lines Node and tfjs-node 4.22.0 throw, as loadNative() keeps them.
    expect(summarize("Cannot find module '@tensorflow/tfjs-node'")).toEqual({
      why: '@tensorflow/tfjs-node is not installed',
      fix: 'npm i -D @tensorflow/tfjs-node --ignore-scripts, then npx trainability native',
    })
    const unbuilt = summarize('The Node.js native addon module (tfjs_binding.node) can not be found at path: /p/node_modules/@tensorflow/tfjs-node/lib/napi-v8/tfjs_binding.node. ')
    expect(unbuilt.why).toBe("tfjs-node's binding was never built: its install script did not run or failed " +
      '(The Node.js native addon module (tfjs_binding.node) can not be found at path: /p/node_modules/@tensorflow/tfjs-node/lib/napi-v8/tfjs_binding.node)')
    expect(unbuilt.fix).toBe('npx trainability native')
    expect(summarize('libtensorflow.so.2: cannot open shared object file: No such file or directory').why).toMatch(/^libtensorflow is missing \(libtensorflow\.so\.2: cannot open/)
    expect(summarize('x'.repeat(300)).why).toBe(`${'x'.repeat(200)}…`)
  })
})

describe('trainability native', () => {
  it.skipIf(!nativeLoads)('in this repository: already provisioned, changes nothing, exit 0', async () => {
    const { code, stdout } = await trainability(['native'])
    expect(code).toBe(0)
    expect(stdout).toMatch(new RegExp(`^trainability: native backend ready in ${root.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(already provisioned, nothing changed; `))
    expect(stdout).toMatch(/^ {2}binding {7}in place: node_modules\/@tensorflow\/tfjs-node\/lib\/napi-v\d+\/tfjs_binding\.node$/m)
  })

  it('exits 2 and names the install command where @tensorflow/tfjs-node is not installed', async () => {
    const dir = project('without-tfjs-node')
    const { code, stdout, stderr } = await trainability(['native'], { cwd: dir })
    expect(code).toBe(2)
    expect(stdout).toBe('')
    expect(ours(stderr)).toEqual([
      `trainability: @tensorflow/tfjs-node is not installed in ${dir}: run \`npm i -D @tensorflow/tfjs-node --ignore-scripts\`, then \`npx trainability native\``,
    ])
  })

  it('exits 1 and says to install python3 and pip when the wheel must be downloaded without them', async () => {
    const dir = project('no-python', true)
    const { code, stderr } = await trainability(['native'], { cwd: dir, env: { ...noTools, TRAINABILITY_CACHE_DIR: join(scratch, 'empty-cache') } })
    expect(code).toBe(1)
    expect(ours(stderr)[0]).toBe(
      `trainability: native backend not provisioned in ${dir}: python3 with pip is needed to download the TensorFlow wheel, and \`python3 -m pip\` did not run: ` +
        'install them (Debian/Ubuntu: sudo apt-get install python3-pip; Fedora: sudo dnf install python3-pip), then run `npx trainability native` again',
    )
    expect(stderr).toContain('tests there train on the cpu backend until it is.')
    expect(existsSync(join(scratch, 'empty-cache', `${WHEEL.name}-${WHEEL.version}`))).toBe(false)
  })

  it('exits 1 and says which C++ toolchain to install when the binding must be built without one', async () => {
    const dir = project('no-toolchain', true)
    // Cached libraries (stand-ins: linking them is all that happens before the build), no cached binding.
    const cache = join(scratch, 'libs-cache')
    const libs = join(cache, `${WHEEL.name}-${WHEEL.version}`)
    mkdirSync(join(libs, 'lib'), { recursive: true })
    mkdirSync(join(libs, 'include'), { recursive: true })
    writeFileSync(join(libs, 'complete'), 'stand-in\n')
    const { code, stderr } = await trainability(['native'], { cwd: join(dir, 'node_modules'), env: { ...noTools, TRAINABILITY_CACHE_DIR: cache } })
    expect(code).toBe(1)
    expect(ours(stderr)[0]).toBe(
      `trainability: native backend not provisioned in ${dir}: building tfjs-node's binding needs a C++ toolchain and make, g++, python3 are missing: ` +
        'install a C++ toolchain (Debian/Ubuntu: sudo apt-get install build-essential python3; Fedora: sudo dnf install gcc-c++ make python3), ' +
        'then run `npx trainability native` again',
    )
  })

  it.each([
    // Node's parseArgs words the first two; the flag named and our pointer to --help are what matter.
    [['native', '--bogus'], /^trainability: Unknown option '--bogus'.*; run `trainability native --help` for the flags$/],
    [['native', 'now'], /^trainability: Unexpected argument 'now'.*; run `trainability native --help` for the flags$/],
    [['native', '--strict'], /^trainability: --strict goes with --check: `trainability native --check --strict`$/],
    [['native', '--check', '--force'], /^trainability: --check changes nothing, --force provisions again: pass one of them$/],
  ])('exits 2 with one line for %j', async (args, pattern) => {
    const { code, stdout, stderr } = await trainability(args)
    expect(code).toBe(2)
    expect(stdout).toBe('')
    const lines = ours(stderr)
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(pattern)
  })

  it('--help prints its usage and exit codes', async () => {
    const { code, stdout } = await trainability(['native', '--help'])
    expect(code).toBe(0)
    expect(stdout).toMatch(/^usage: trainability native \[--force\]/)
    expect(stdout).toContain('exit codes: 0 provisioned')
  })
})

describe('where `trainability native` provisions', () => {
  it('the nearest package.json with @tensorflow/tfjs-node in its node_modules: a workspace package finds the root', () => {
    const dir = project('workspace', true)
    const member = join(dir, 'packages', 'a')
    mkdirSync(member, { recursive: true })
    writeFileSync(join(member, 'package.json'), '{"name":"a"}')
    expect(findNativeProject(join(member, 'src'))).toEqual({ root: dir, tfjsNode: join(dir, 'node_modules', '@tensorflow', 'tfjs-node') })
  })

  it('names the nearest package.json when none above has tfjs-node', () => {
    const dir = project('plain')
    expect(() => findNativeProject(join(dir, 'src', 'deep'))).toThrow(new NoTfjsNode(
      `@tensorflow/tfjs-node is not installed in ${dir}: run \`npm i -D @tensorflow/tfjs-node --ignore-scripts\`, then \`npx trainability native\``,
    ))
  })

  const above = (dir: string): boolean => existsSync(join(dir, 'package.json')) || (dirname(dir) !== dir && above(dirname(dir)))
  it.skipIf(above(scratch))('says when there is no package.json at all', () => {
    expect(() => findNativeProject(join(scratch, 'nowhere'))).toThrow(`no package.json in ${join(scratch, 'nowhere')} or above`)
  })

  it('the wheel is pinned for linux-x64 only; elsewhere the message points to tfjs-node’s own install script', () => {
    expect(wheelFits('linux', 'x64')).toEqual({ fits: true })
    const mac = wheelFits('darwin', 'arm64')
    expect(mac.fits).toBe(false)
    expect(!mac.fits && mac.reason).toBe(
      "no TensorFlow wheel is pinned for darwin-arm64 (trainability provisions linux-x64 only). Where tfjs-node's download host is reachable, " +
        'its own install script provisions it: `npm rebuild @tensorflow/tfjs-node`',
    )
  })
})

describe("this repository's prepare (scripts/provision-native.mjs)", () => {
  it.skipIf(!nativeLoads)('runs the same provisioning from source and prints one line', () => {
    const result = spawnSync(process.execPath, ['scripts/provision-native.mjs'], { cwd: root, encoding: 'utf8' })
    expect(result.status).toBe(0)
    expect(result.stdout).toMatch(/^trainability: native backend ready \(TensorFlow \d+\.\d+\.\d+ from (the tensorflow-cpu wheel|tfjs-node's own download), already provisioned; \d+\.\d s\)\n$/)
  })
})
