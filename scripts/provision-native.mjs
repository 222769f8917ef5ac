#!/usr/bin/env node
// Provisions the native backend of @tensorflow/tfjs-node without its install script, whose libtensorflow
// download host is unreachable on many machines. Instead it:
//   1. downloads the tensorflow-cpu wheel from the Python package index with pip (once per machine) and
//      keeps only libtensorflow_cc.so.2, libtensorflow_framework.so.2 and the C headers the binding
//      includes, in a cache ($TRAINABILITY_CACHE_DIR, else $XDG_CACHE_HOME/trainability, else
//      ~/.cache/trainability);
//   2. links them into node_modules/@tensorflow/tfjs-node/deps/{lib,include} under the names its
//      binding.gyp asks for (libtensorflow_cc.so.2 exports the C and eager C API);
//   3. takes the binding (tfjs_binding.node) from the cache, else builds it from source with tfjs-node's own
//      node-pre-gyp and caches it (keyed by tfjs-node version, N-API version, Node ABI, platform and the
//      TensorFlow version), so reinstalling node_modules does not recompile;
//   4. checks in a fresh process that require('@tensorflow/tfjs-node') gives tf.getBackend() 'tensorflow'.
// Idempotent: a second run only re-checks (about a second). Prints exactly one line. Never exits non-zero
// unless TRAINABILITY_REQUIRE_NATIVE=1. Flags: --force (ignore both caches).
// The project's package.json must keep tfjs-node's own install script from running (allowScripts).
// Node built-ins only; uses python3 -m pip, python's zipfile, and the C++ toolchain that node-gyp needs.
import { spawnSync } from 'node:child_process'
import {
  copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync,
  statfsSync, statSync, symlinkSync, writeFileSync,
} from 'node:fs'
import { createRequire } from 'node:module'
import { homedir, tmpdir } from 'node:os'
import { dirname, join, resolve, sep } from 'node:path'

const TF = { name: 'tensorflow-cpu', version: '2.21.0', python: '3.11', platform: 'manylinux_2_27_x86_64' }
const LIBS = ['libtensorflow_cc.so.2', 'libtensorflow_framework.so.2']
// The link names binding.gyp links against (-ltensorflow -ltensorflow_framework).
const LINKS = { 'libtensorflow.so': 'libtensorflow_cc.so.2', 'libtensorflow_framework.so': 'libtensorflow_framework.so.2' }
// Headers binding.gyp names besides those the binding's sources include.
const HEADER_SEEDS = ['tensorflow/c/c_api.h', 'tensorflow/c/eager/c_api.h']
const MiB = 1024 * 1024

const started = Date.now()
const required = process.env.TRAINABILITY_REQUIRE_NATIVE === '1'
const force = process.argv.includes('--force')
const project = process.cwd()
const seconds = () => `${((Date.now() - started) / 1000).toFixed(1)} s`

class Unavailable extends Error {}
const fail = (reason) => {
  throw new Unavailable(reason)
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 * MiB, ...options })
  if (result.error) return { ok: false, output: result.error.code === 'ETIMEDOUT' ? 'timed out' : result.error.message }
  return { ok: result.status === 0, output: `${result.stdout ?? ''}${result.stderr ?? ''}`.trim() }
}
const lastLines = (text, n = 2) => text.split('\n').filter((l) => l.trim()).slice(-n).join(' | ').slice(0, 400)
const sizeMB = (file) => Math.round(statSync(file).size / 1e6)

// Nothing to do (silently) when run as a lifecycle script of trainability installed as someone's
// dependency, or as `prepare` of `npm pack` / `npm publish`.
const skip = (process.env.npm_lifecycle_event && process.env.INIT_CWD &&
  resolve(process.env.INIT_CWD) !== project && project.includes(`${sep}node_modules${sep}`)) ||
  ['pack', 'publish'].includes(process.env.npm_command)

function main() {
  if (process.platform !== 'linux' || process.arch !== 'x64') fail(`no TensorFlow wheel is pinned for ${process.platform}-${process.arch}`)

  let tfjsNode
  try {
    tfjsNode = dirname(createRequire(join(project, 'package.json')).resolve('@tensorflow/tfjs-node/package.json'))
  } catch {
    fail('@tensorflow/tfjs-node is not installed')
  }
  const pkg = JSON.parse(readFileSync(join(tfjsNode, 'package.json'), 'utf8'))
  const napi = Math.max(...pkg.binary.napi_versions.filter((v) => v <= Number(process.versions.napi)))
  const napiDir = join(tfjsNode, pkg.binary.module_path.replace('{napi_build_version}', String(napi)))
  const bindingFile = join(napiDir, `${pkg.binary.module_name}.node`)
  const deps = join(tfjsNode, 'deps')

  const env = { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' }
  const verify = () => run(process.execPath, ['-e', `
    const tf = require('@tensorflow/tfjs-node')
    tf.ready().then(() => {
      if (tf.getBackend() !== 'tensorflow') { console.error('backend is ' + tf.getBackend()); process.exit(3) }
      const s = tf.tensor([1, 2, 3]).square().sum().dataSync()[0]
      if (s !== 14) { console.error('1+4+9 gave ' + s); process.exit(4) }
    })`], { cwd: project, env, timeout: 120_000 })

  // Already provisioned (by us, or by tfjs-node's own script where its host is reachable).
  if (!force && existsSync(bindingFile) && existsSync(join(deps, 'lib', 'libtensorflow.so')) && verify().ok) {
    return `${TF.name} ${TF.version}, already provisioned`
  }

  const cacheRoot = resolve(process.env.TRAINABILITY_CACHE_DIR ||
    join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'trainability'))
  const libCache = join(cacheRoot, `${TF.name}-${TF.version}`)
  const bindingKey = `tfjs-node${pkg.version}-napi${napi}-abi${process.versions.modules}-${process.platform}-${process.arch}-tf${TF.version}`
  const bindingCache = join(cacheRoot, 'binding', bindingKey, `${pkg.binary.module_name}.node`)
  const done = []

  // 1. libtensorflow and its headers, once per machine. The cache directory appears by an atomic rename,
  //    so its existence means it is complete.
  if (force || !existsSync(join(libCache, 'complete'))) {
    const fetched = fetchLibs(tfjsNode, cacheRoot, libCache)
    done.push(fetched)
  } else {
    done.push('libraries cached')
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
    if (verify().ok) return `${TF.name} ${TF.version}, ${done.join(', ')}, binding cached`
    rmSync(bindingCache, { force: true }) // stale: rebuild below
  }
  const t2 = Date.now()
  build(tfjsNode, env, bindingFile, napi)
  done.push(`binding built in ${((Date.now() - t2) / 1000).toFixed(0)} s`)
  const check = verify()
  if (!check.ok) fail(`@tensorflow/tfjs-node does not load: ${lastLines(check.output)}; --force refetches everything`)
  mkdirSync(dirname(bindingCache), { recursive: true })
  const tmp = `${bindingCache}.${process.pid}`
  copyFileSync(bindingFile, tmp)
  renameSync(tmp, bindingCache)
  return `${TF.name} ${TF.version}, ${done.join(', ')}`
}

function fetchLibs(tfjsNode, cacheRoot, libCache) {
  const python = ['python3', 'python'].find((p) => run(p, ['-m', 'pip', '--version']).ok)
  if (!python) fail('no python3 with pip to fetch the TensorFlow wheel')
  mkdirSync(cacheRoot, { recursive: true })
  const free = (() => { try { const s = statfsSync(cacheRoot); return s.bavail * s.bsize } catch { return Infinity } })()
  if (free < 1.5 * 1024 * MiB) fail(`${Math.round(free / 1e6)} MB free under ${cacheRoot}, 1.5 GB needed`)

  const download = mkdtempSync(join(tmpdir(), 'trainability-wheel-'))
  const staging = `${libCache}.partial-${process.pid}`
  try {
    const t0 = Date.now()
    const pip = run(python, [
      '-m', 'pip', 'download', '--quiet', '--no-deps', '--only-binary=:all:', '--disable-pip-version-check', '--no-cache-dir',
      '--progress-bar', 'off', '--timeout', '60', '--retries', '2', '--dest', download,
      '--python-version', TF.python, '--platform', TF.platform, '--implementation', 'cp',
      `${TF.name}==${TF.version}`,
    ], { timeout: 20 * 60_000 })
    if (!pip.ok) {
      const unreachable = /Failed to establish a new connection|NewConnectionError|Name or service not known|Temporary failure in name resolution|timed out|ConnectTimeout|ProxyError/i.test(pip.output)
      fail(`pip could not download ${TF.name}==${TF.version}${unreachable ? ' (package index unreachable)' : ''}: ${lastLines(pip.output, 1)}`)
    }
    const wheel = readdirSync(download).find((f) => f.endsWith('.whl'))
    if (!wheel) fail('pip downloaded no wheel')
    const wheelNote = `wheel ${sizeMB(join(download, wheel))} MB in ${((Date.now() - t0) / 1000).toFixed(0)} s`

    const t1 = Date.now()
    // Only the two libraries and the headers the binding includes, followed transitively
    // (about 15 headers): 815 MB instead of the whole unpacked wheel.
    const includes = readdirSync(join(tfjsNode, 'binding')).flatMap((f) =>
      [...readFileSync(join(tfjsNode, 'binding', f), 'utf8').matchAll(/#include\s+"(tensorflow\/[^"]+)"/g)].map((m) => m[1]))
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
`, join(download, wheel), staging, LIBS.join(','), [...new Set([...HEADER_SEEDS, ...includes])].join(',')],
    { timeout: 10 * 60_000 })
    if (!extract.ok) fail(`could not extract the wheel: ${lastLines(extract.output, 1)}`)
    const extractNote = `extracted in ${((Date.now() - t1) / 1000).toFixed(0)} s`
    writeFileSync(join(staging, 'complete'), `${wheel}\n`)
    rmSync(libCache, { recursive: true, force: true })
    try {
      renameSync(staging, libCache)
    } catch (error) {
      // Another install finished first: use its copy.
      if (!existsSync(join(libCache, 'complete'))) throw error
    }
    return `libraries downloaded (${wheelNote}, ${extractNote})`
  } finally {
    rmSync(download, { recursive: true, force: true })
    rmSync(staging, { recursive: true, force: true })
  }
}

function build(tfjsNode, env, bindingFile, napi) {
  for (const tool of ['make', 'g++']) {
    if (!run(tool, ['--version']).ok) fail(`${tool} is missing: building the binding needs a C++ toolchain (make, g++, python3)`)
  }
  let preGyp
  try {
    preGyp = createRequire(join(tfjsNode, 'package.json')).resolve('@mapbox/node-pre-gyp/bin/node-pre-gyp')
  } catch {
    fail('@mapbox/node-pre-gyp (a dependency of tfjs-node) is not installed')
  }
  // node-gyp needs Node's headers and would download them: use the installed ones when they are there.
  const nodedir = [process.env.npm_config_nodedir, resolve(dirname(process.execPath), '..'), '/usr', '/usr/local']
    .find((d) => d && existsSync(join(d, 'include', 'node', 'node_api.h')))
  const buildEnv = nodedir ? { ...env, npm_config_nodedir: nodedir } : env
  const result = run(process.execPath, [preGyp, 'install', '--build-from-source', ...(nodedir ? [`--nodedir=${nodedir}`] : [])],
    { cwd: tfjsNode, env: buildEnv, timeout: 15 * 60_000 })
  // Object files: the .node itself is copied to lib/napi-vN.
  for (const dir of ['build', `build-tmp-napi-v${napi}`]) rmSync(join(tfjsNode, dir), { recursive: true, force: true })
  if (!result.ok || !existsSync(bindingFile)) fail(`building the tfjs-node binding failed: ${lastLines(result.output, 3)}`)
}

if (!skip) {
  try {
    const what = main()
    console.log(`trainability: native backend ready (${what}; ${seconds()})`)
  } catch (error) {
    const reason = error instanceof Unavailable ? error.message : `unexpected error: ${String(error?.message ?? error).split('\n')[0]}`
    console.log(`trainability: native backend unavailable (${reason}); tests will use the CPU backend (${seconds()})`)
    process.exitCode = required ? 1 : 0
  }
}
