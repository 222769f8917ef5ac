// Provisions the native backend of @tensorflow/tfjs-node without its install script, whose libtensorflow download
// host is unreachable on many machines. Instead it:
//   1. downloads the tensorflow-cpu wheel from the Python package index with pip (once per machine) and keeps only
//      libtensorflow_cc.so.2, libtensorflow_framework.so.2 and the C headers the binding includes, in a cache
//      (nativeCacheDir(): $TRAINABILITY_CACHE_DIR, else $XDG_CACHE_HOME/trainability, else ~/.cache/trainability);
//   2. links them into node_modules/@tensorflow/tfjs-node/deps/{lib,include} under the names its binding.gyp asks
//      for (libtensorflow_cc.so.2 exports the C and eager C API);
//   3. takes the binding (tfjs_binding.node) from the cache, else builds it from source with tfjs-node's own
//      node-pre-gyp and caches it (keyed by tfjs-node version, N-API version, Node ABI, platform and the TensorFlow
//      version), so a reinstalled node_modules, or another project on the machine, does not recompile;
//   4. checks in a fresh process that require('@tensorflow/tfjs-node') gives tf.getBackend() 'tensorflow'.
// Idempotent: on a provisioned tfjs-node (by us, or by its own script where its host is reachable) it only re-checks.
// Node built-ins only, synchronous: it runs from `trainability native` and from this repository's `prepare`
// (scripts/provision-native.mjs, through tsx, before dist/ exists). Uses python3 -m pip, python's zipfile, and the
// C++ toolchain that node-gyp needs.
import { spawnSync, type SpawnSyncOptions } from 'node:child_process'
import {
  copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync,
  statfsSync, statSync, symlinkSync, writeFileSync,
} from 'node:fs'
import { createRequire } from 'node:module'
import { homedir, tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'

/** The TensorFlow build trainability provisions from: pip's coordinates of the wheel. */
export const WHEEL = { name: 'tensorflow-cpu', version: '2.21.0', python: '3.11', platform: 'manylinux_2_27_x86_64' } as const
const LIBS = ['libtensorflow_cc.so.2', 'libtensorflow_framework.so.2']
// The link names binding.gyp links against (-ltensorflow -ltensorflow_framework).
const LINKS: Record<string, string> = { 'libtensorflow.so': 'libtensorflow_cc.so.2', 'libtensorflow_framework.so': 'libtensorflow_framework.so.2' }
// Headers binding.gyp names besides those the binding's sources include.
const HEADER_SEEDS = ['tensorflow/c/c_api.h', 'tensorflow/c/eager/c_api.h']
const MiB = 1024 * 1024

/** Why the native backend could not be provisioned; `message` says what to do about it. */
export type UnavailableKind = 'platform' | 'python' | 'disk' | 'download' | 'toolchain' | 'build' | 'load'

export class NativeUnavailable extends Error {
  override name = 'NativeUnavailable'
  constructor(readonly kind: UnavailableKind, message: string) {
    super(message)
  }
}

export interface ProvisionOptions {
  /** The directory of the installed @tensorflow/tfjs-node package. */
  tfjsNode: string
  /** Ignore both caches: download the wheel and build the binding again. */
  force?: boolean
  /** Where libtensorflow and built bindings are kept; default nativeCacheDir(). */
  cacheDir?: string
  /** Told before each step that can take minutes. */
  log?: (line: string) => void
}

export interface Provisioned {
  tfjsNode: string
  tfjsNodeVersion: string
  /** The TensorFlow version the loaded binding reports (TF_Version). */
  tensorflow: string
  /** `wheel`: our cache, from the TensorFlow wheel; `tfjs-node`: what tfjs-node's own install script downloaded. */
  source: 'wheel' | 'tfjs-node'
  /** `present`: it already loaded, nothing was changed. */
  libraries: { how: 'present' | 'cached' | 'downloaded'; dir: string; note?: string }
  binding: { how: 'present' | 'cached' | 'built'; file: string; cache?: string; note?: string }
  seconds: number
}

/** Where provisioned libraries and bindings are cached: $TRAINABILITY_CACHE_DIR, else $XDG_CACHE_HOME/trainability, else ~/.cache/trainability. */
export function nativeCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.TRAINABILITY_CACHE_DIR || join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'trainability'))
}

/** Whether the pinned wheel fits this machine; a reason to show when it does not. */
export function wheelFits(platform: string = process.platform, arch: string = process.arch): { fits: true } | { fits: false; reason: string } {
  if (platform === 'linux' && arch === 'x64') return { fits: true }
  return {
    fits: false,
    reason: `no TensorFlow wheel is pinned for ${platform}-${arch} (trainability provisions linux-x64 only). Where tfjs-node's ` +
      "download host is reachable, its own install script provisions it: `npm rebuild @tensorflow/tfjs-node`",
  }
}

interface Ran {
  ok: boolean
  output: string
  stdout: string
}

function run(command: string, args: readonly string[], options: SpawnSyncOptions = {}): Ran {
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 * MiB, ...options })
  if (result.error) {
    const code = (result.error as NodeJS.ErrnoException).code
    return { ok: false, output: code === 'ETIMEDOUT' ? 'timed out' : result.error.message, stdout: '' }
  }
  const stdout = String(result.stdout ?? '')
  return { ok: result.status === 0, output: `${stdout}${String(result.stderr ?? '')}`.trim(), stdout }
}
const lastLines = (text: string, n = 2): string => text.split('\n').filter((l) => l.trim()).slice(-n).join(' | ').slice(0, 400)
const sizeMB = (file: string): number => Math.round(statSync(file).size / 1e6)
const since = (t: number): string => `${((Date.now() - t) / 1000).toFixed(0)} s`
const fail = (kind: UnavailableKind, reason: string): never => {
  throw new NativeUnavailable(kind, reason)
}

/** The tfjs-node package fields the binding's location is computed from. */
interface TfjsNodePackage {
  version: string
  binary: { module_name: string; module_path: string; napi_versions: number[] }
}

/**
 * Makes `require('@tensorflow/tfjs-node')` load the native backend in the project that has `tfjsNode` installed.
 * Throws NativeUnavailable (with what to install or do) when it cannot.
 *
 * @example
 * provisionNative({ tfjsNode: 'node_modules/@tensorflow/tfjs-node', log: console.log })
 */
export function provisionNative(options: ProvisionOptions): Provisioned {
  const started = Date.now()
  const tfjsNode = resolve(options.tfjsNode)
  const force = options.force ?? false
  const log = options.log ?? (() => {})
  const cacheRoot = resolve(options.cacheDir ?? nativeCacheDir())
  const pkg = JSON.parse(readFileSync(join(tfjsNode, 'package.json'), 'utf8')) as TfjsNodePackage
  const napi = Math.max(...pkg.binary.napi_versions.filter((v) => v <= Number(process.versions.napi)))
  const napiDir = join(tfjsNode, pkg.binary.module_path.replace('{napi_build_version}', String(napi)))
  const bindingFile = join(napiDir, `${pkg.binary.module_name}.node`)
  const deps = join(tfjsNode, 'deps')
  const env = { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' }
  const verify = (): { ok: true; tensorflow: string } | { ok: false; output: string } => {
    const result = run(process.execPath, ['-e', `
      const tf = require(${JSON.stringify(tfjsNode)})
      tf.ready().then(() => {
        if (tf.getBackend() !== 'tensorflow') { console.error('backend is ' + tf.getBackend()); process.exit(3) }
        const s = tf.tensor([1, 2, 3]).square().sum().dataSync()[0]
        if (s !== 14) { console.error('1+4+9 gave ' + s); process.exit(4) }
        console.log('TF_Version=' + tf.backend().binding.TF_Version)
      })`], { cwd: tfjsNode, env, timeout: 120_000 })
    const version = /TF_Version=(\S+)/.exec(result.stdout)?.[1]
    return result.ok && version ? { ok: true, tensorflow: version } : { ok: false, output: result.output }
  }
  const done = (
    tensorflow: string, libraries: Provisioned['libraries'], binding: Provisioned['binding'], source: Provisioned['source'] = 'wheel',
  ): Provisioned => ({ tfjsNode, tfjsNodeVersion: pkg.version, tensorflow, source, libraries, binding, seconds: (Date.now() - started) / 1000 })

  // Already provisioned (by us, or by tfjs-node's own script where its host is reachable): nothing to change.
  if (!force && existsSync(bindingFile)) {
    const check = verify()
    if (check.ok) {
      const lib = ['libtensorflow.so', 'libtensorflow.dylib', 'tensorflow.dll'].map((f) => join(deps, 'lib', f)).find((f) => existsSync(f))
      // Ours links libtensorflow_cc.so.2 from the wheel; tfjs-node's own download is the C library, without it.
      const source = existsSync(join(deps, 'lib', 'libtensorflow_cc.so.2')) ? 'wheel' : 'tfjs-node'
      return done(check.tensorflow, { how: 'present', dir: lib ? dirname(realpathSync(lib)) : join(deps, 'lib') }, { how: 'present', file: bindingFile }, source)
    }
  }
  const fits = wheelFits()
  if (!fits.fits) fail('platform', fits.reason)

  const libCache = join(cacheRoot, `${WHEEL.name}-${WHEEL.version}`)
  const bindingKey = `tfjs-node${pkg.version}-napi${napi}-abi${process.versions.modules}-${process.platform}-${process.arch}-tf${WHEEL.version}`
  const bindingCache = join(cacheRoot, 'binding', bindingKey, `${pkg.binary.module_name}.node`)

  // 1. libtensorflow and its headers, once per machine. The cache directory appears by an atomic rename, so its
  //    existence means it is complete.
  let libraries: Provisioned['libraries']
  if (force || !existsSync(join(libCache, 'complete'))) {
    log(`downloading the ${WHEEL.name} ${WHEEL.version} wheel with pip (a few hundred MB, once per machine) into ${cacheRoot}`)
    libraries = { how: 'downloaded', dir: join(libCache, 'lib'), note: fetchLibs(tfjsNode, cacheRoot, libCache) }
  } else {
    libraries = { how: 'cached', dir: join(libCache, 'lib') }
  }

  // 2. Where binding.gyp and the binding's RUNPATH ($ORIGIN/../../deps/lib) look.
  rmSync(deps, { recursive: true, force: true })
  mkdirSync(join(deps, 'lib'), { recursive: true })
  for (const lib of LIBS) symlinkSync(join(libCache, 'lib', lib), join(deps, 'lib', lib))
  for (const [link, target] of Object.entries(LINKS)) symlinkSync(target, join(deps, 'lib', link))
  symlinkSync(join(libCache, 'include'), join(deps, 'include'))

  // 3. The binding: from the cache if it loads, else built from source.
  if (!force && existsSync(bindingCache)) {
    mkdirSync(napiDir, { recursive: true })
    copyFileSync(bindingCache, bindingFile)
    const check = verify()
    if (check.ok) return done(check.tensorflow, libraries, { how: 'cached', file: bindingFile, cache: bindingCache })
    rmSync(bindingCache, { force: true }) // stale: rebuild below
  }
  const t = Date.now()
  log(`building tfjs-node's binding from source against TensorFlow ${WHEEL.version} (about a minute, once per machine and Node version)`)
  build(tfjsNode, env, bindingFile, napi)
  const note = `in ${since(t)}`
  const check = verify()
  if (!check.ok) return fail('load', `@tensorflow/tfjs-node does not load after provisioning: ${lastLines(check.output)}; --force fetches and builds everything again`)
  mkdirSync(dirname(bindingCache), { recursive: true })
  const tmp = `${bindingCache}.${process.pid}`
  copyFileSync(bindingFile, tmp)
  renameSync(tmp, bindingCache)
  return done(check.tensorflow, libraries, { how: 'built', file: bindingFile, cache: bindingCache, note })
}

/** One line: what was provisioned and how, e.g. `tensorflow-cpu 2.21.0, libraries cached, binding cached; 1.2 s`. */
export function describeProvisioned(p: Provisioned): string {
  const seconds = `${p.seconds.toFixed(1)} s`
  if (p.libraries.how === 'present') {
    return `TensorFlow ${p.tensorflow} ${p.source === 'wheel' ? `from the ${WHEEL.name} wheel` : "from tfjs-node's own download"}, already provisioned; ${seconds}`
  }
  const libraries = p.libraries.how === 'downloaded' ? `libraries downloaded (${p.libraries.note})` : 'libraries cached'
  const binding = p.binding.how === 'built' ? `binding ${p.binding.note}` : 'binding cached'
  return `${WHEEL.name} ${WHEEL.version}, ${libraries}, ${binding}; ${seconds}`
}

function findPython(): string | undefined {
  return ['python3', 'python'].find((p) => run(p, ['-m', 'pip', '--version']).ok)
}

/** Downloads the wheel, extracts the two libraries and the headers the binding includes into libCache; a note on sizes and times. */
function fetchLibs(tfjsNode: string, cacheRoot: string, libCache: string): string {
  const python = findPython() ?? fail('python',
    'python3 with pip is needed to download the TensorFlow wheel, and `python3 -m pip` did not run: install them ' +
    '(Debian/Ubuntu: sudo apt-get install python3-pip; Fedora: sudo dnf install python3-pip), then run `npx trainability native` again')
  mkdirSync(cacheRoot, { recursive: true })
  const free = ((): number => {
    try {
      const s = statfsSync(cacheRoot)
      return s.bavail * s.bsize
    } catch {
      return Infinity
    }
  })()
  if (free < 1.5 * 1024 * MiB) {
    fail('disk', `${Math.round(free / 1e6)} MB free under ${cacheRoot}, 1.5 GB needed: free some space or set TRAINABILITY_CACHE_DIR to a larger disk`)
  }

  const download = mkdtempSync(join(tmpdir(), 'trainability-wheel-'))
  const staging = `${libCache}.partial-${process.pid}`
  try {
    const t0 = Date.now()
    const pip = run(python, [
      '-m', 'pip', 'download', '--quiet', '--no-deps', '--only-binary=:all:', '--disable-pip-version-check', '--no-cache-dir',
      '--progress-bar', 'off', '--timeout', '60', '--retries', '2', '--dest', download,
      '--python-version', WHEEL.python, '--platform', WHEEL.platform, '--implementation', 'cp',
      `${WHEEL.name}==${WHEEL.version}`,
    ], { timeout: 20 * 60_000 })
    if (!pip.ok) {
      const unreachable = /Failed to establish a new connection|NewConnectionError|Name or service not known|Temporary failure in name resolution|timed out|ConnectTimeout|ProxyError/i.test(pip.output)
      fail('download', `pip could not download ${WHEEL.name}==${WHEEL.version}${unreachable ? ' (package index unreachable)' : ''}: ` +
        `${lastLines(pip.output, 1)}. pip's own settings apply (PIP_INDEX_URL, proxies); offline, copy ${cacheRoot} from a machine that has it`)
    }
    const wheel = readdirSync(download).find((f) => f.endsWith('.whl')) ?? fail('download', 'pip downloaded no wheel')
    const wheelNote = `wheel ${sizeMB(join(download, wheel))} MB in ${since(t0)}`

    const t1 = Date.now()
    // Only the two libraries and the headers the binding includes, followed transitively (about 15 headers):
    // 815 MB instead of the whole unpacked wheel.
    const includes = readdirSync(join(tfjsNode, 'binding')).flatMap((f) =>
      [...readFileSync(join(tfjsNode, 'binding', f), 'utf8').matchAll(/#include\s+"(tensorflow\/[^"]+)"/g)].map((m) => m[1] ?? ''))
    const extract = run(python, ['-c', `
import os, re, shutil, sys, zipfile
wheel, out, libs, seeds = sys.argv[1], sys.argv[2], sys.argv[3].split(','), sys.argv[4].split(',')
def copy(z, name, target):
    os.makedirs(os.path.dirname(target), exist_ok=True)
    with z.open(name) as src, open(target, 'wb') as dst:
        shutil.copyfileobj(src, dst, 1 << 20)
with zipfile.ZipFile(wheel) as z:
    names = set(z.namelist())
    for lib in libs:
        if 'tensorflow/' + lib not in names:
            sys.exit('the wheel has no tensorflow/' + lib)
        copy(z, 'tensorflow/' + lib, os.path.join(out, 'lib', lib))
    todo, seen = list(seeds), set()
    while todo:
        header = todo.pop()
        member = 'tensorflow/include/' + header
        if header in seen or member not in names:
            continue
        seen.add(header)
        copy(z, member, os.path.join(out, 'include', header))
        todo += re.findall(r'#include\\s+"([^"]+)"', z.read(member).decode('utf8', 'replace'))
    missing = [h for h in seeds if h not in seen]
    if missing:
        sys.exit('the wheel lacks headers: ' + ', '.join(missing))
`, join(download, wheel), staging, LIBS.join(','), [...new Set([...HEADER_SEEDS, ...includes])].filter(Boolean).join(',')],
    { timeout: 10 * 60_000 })
    if (!extract.ok) fail('download', `could not extract the wheel: ${lastLines(extract.output, 1)}`)
    const extractNote = `extracted in ${since(t1)}`
    writeFileSync(join(staging, 'complete'), `${wheel}\n`)
    rmSync(libCache, { recursive: true, force: true })
    try {
      renameSync(staging, libCache)
    } catch (error) {
      // Another install finished first: use its copy.
      if (!existsSync(join(libCache, 'complete'))) throw error
    }
    return `${wheelNote}, ${extractNote}`
  } finally {
    rmSync(download, { recursive: true, force: true })
    rmSync(staging, { recursive: true, force: true })
  }
}

/** What to install for a C++ toolchain that node-gyp can use, on this platform. */
function toolchainHint(): string {
  if (process.platform === 'darwin') return 'install the Xcode Command Line Tools: xcode-select --install'
  if (process.platform === 'win32') return 'install Visual Studio Build Tools with the "Desktop development with C++" workload'
  return 'install a C++ toolchain (Debian/Ubuntu: sudo apt-get install build-essential python3; Fedora: sudo dnf install gcc-c++ make python3)'
}

function build(tfjsNode: string, env: NodeJS.ProcessEnv, bindingFile: string, napi: number): void {
  const missing = ['make', 'g++', 'python3'].filter((tool) => !run(tool, ['--version']).ok)
  if (missing.length > 0) {
    fail('toolchain', `building tfjs-node's binding needs a C++ toolchain and ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} missing: ` +
      `${toolchainHint()}, then run \`npx trainability native\` again`)
  }
  let preGyp: string
  try {
    preGyp = createRequire(join(tfjsNode, 'package.json')).resolve('@mapbox/node-pre-gyp/bin/node-pre-gyp')
  } catch {
    return fail('build', '@mapbox/node-pre-gyp (a dependency of @tensorflow/tfjs-node) is not installed: reinstall @tensorflow/tfjs-node')
  }
  // node-gyp needs Node's headers and would download them: use the installed ones when they are there.
  const nodedir = [process.env.npm_config_nodedir, resolve(dirname(process.execPath), '..'), '/usr', '/usr/local']
    .find((d) => d && existsSync(join(d, 'include', 'node', 'node_api.h')))
  const buildEnv = nodedir ? { ...env, npm_config_nodedir: nodedir } : env
  const result = run(process.execPath, [preGyp, 'install', '--build-from-source', ...(nodedir ? [`--nodedir=${nodedir}`] : [])],
    { cwd: tfjsNode, env: buildEnv, timeout: 15 * 60_000 })
  // Object files: the .node itself is copied to lib/napi-vN.
  for (const dir of ['build', `build-tmp-napi-v${napi}`]) rmSync(join(tfjsNode, dir), { recursive: true, force: true })
  if (!result.ok || !existsSync(bindingFile)) {
    fail('build', `building tfjs-node's binding failed: ${lastLines(result.output, 3)}. If a tool is missing, ${toolchainHint()}`)
  }
}
