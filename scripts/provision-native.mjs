#!/usr/bin/env node
// Provisions @tensorflow/tfjs-node without its install script, whose libtensorflow download host is
// unreachable here: takes libtensorflow from the TensorFlow wheel on PyPI (it ships the C and eager C API
// in libtensorflow_cc), places it where tfjs-node's binding.gyp looks, and builds the binding from source.
// Idempotent and cached (the libraries and the built binding, keyed by Node ABI). Runs as `postinstall`.
// Prints one line. Never fails the install unless TRAINABILITY_REQUIRE_NATIVE=1.
import { spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs'
import { createRequire } from 'node:module'
import { homedir, tmpdir } from 'node:os'
import { dirname, join } from 'node:path'

const TF_WHEEL = { name: 'tensorflow-cpu', version: '2.21.0', python: '3.11', platform: 'manylinux_2_27_x86_64' }
const LIBS = ['libtensorflow_cc.so.2', 'libtensorflow_framework.so.2']
// The link names binding.gyp asks for (-ltensorflow -ltensorflow_framework).
const LINKS = { 'libtensorflow.so': 'libtensorflow_cc.so.2', 'libtensorflow_framework.so': 'libtensorflow_framework.so.2' }

const required = process.env.TRAINABILITY_REQUIRE_NATIVE === '1'
const started = Date.now()
const say = (line) => console.log(`trainability: ${line} (${((Date.now() - started) / 1000).toFixed(1)} s)`)

function give(reason) {
  say(`native backend unavailable: ${reason}; tests will use the cpu backend`)
  process.exit(required ? 1 : 0)
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options })
  if (result.error) return { ok: false, output: result.error.message }
  return { ok: result.status === 0, output: `${result.stdout ?? ''}${result.stderr ?? ''}` }
}

const lastLines = (text, n = 3) => text.trim().split('\n').slice(-n).join(' | ')

if (process.platform !== 'linux' || process.arch !== 'x64') give(`no TensorFlow wheel is pinned for ${process.platform}-${process.arch}`)

let tfjsNode
try {
  tfjsNode = dirname(createRequire(join(process.cwd(), 'package.json')).resolve('@tensorflow/tfjs-node/package.json'))
} catch {
  // Installed as a dependency, or tfjs-node is not in the tree: nothing to provision.
  process.exit(0)
}

const env = { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' }
const loads = () =>
  run(process.execPath, ['-e', "const tf = require('@tensorflow/tfjs-node'); tf.ready().then(() => { if (tf.getBackend() !== 'tensorflow') process.exit(3) })"], { cwd: process.cwd(), env })

const cacheRoot = process.env.TRAINABILITY_CACHE_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'trainability')
const libCache = join(cacheRoot, `${TF_WHEEL.name}-${TF_WHEEL.version}`)
const bindingKey = `node-abi${process.versions.modules}-napi${process.versions.napi}-tf${TF_WHEEL.version}`
const bindingCache = join(cacheRoot, 'binding', bindingKey)
const napiDir = join(tfjsNode, 'lib', 'napi-v8')
const bindingFile = join(napiDir, 'tfjs_binding.node')
const deps = join(tfjsNode, 'deps')

if (existsSync(bindingFile) && existsSync(join(deps, 'lib', 'libtensorflow.so')) && loads().ok) {
  say(`native backend ready (${TF_WHEEL.name} ${TF_WHEEL.version}, already provisioned)`)
  process.exit(0)
}

// 1. libtensorflow from the wheel, once per machine.
if (!LIBS.every((lib) => existsSync(join(libCache, 'lib', lib))) || !existsSync(join(libCache, 'include', 'tensorflow', 'c', 'c_api.h'))) {
  const python = ['python3', 'python'].find((p) => run(p, ['-m', 'pip', '--version']).ok)
  if (!python) give('no python3 with pip to fetch the TensorFlow wheel')
  const download = mkdtempSync(join(tmpdir(), 'trainability-wheel-'))
  try {
    const pip = run(python, [
      '-m', 'pip', 'download', '--quiet', '--no-deps', '--only-binary=:all:', '--dest', download,
      '--python-version', TF_WHEEL.python, '--platform', TF_WHEEL.platform, '--implementation', 'cp',
      `${TF_WHEEL.name}==${TF_WHEEL.version}`,
    ])
    if (!pip.ok) give(`pip could not download ${TF_WHEEL.name}==${TF_WHEEL.version}: ${lastLines(pip.output, 1)}`)
    const wheel = readdirSync(download).find((f) => f.endsWith('.whl'))
    if (!wheel) give('pip downloaded no wheel')
    const staging = `${libCache}.partial`
    rmSync(staging, { recursive: true, force: true })
    // Only the two libraries and the headers the binding includes, followed transitively: ~800 MB and
    // 15 files instead of the whole wheel.
    const includes = readdirSync(join(tfjsNode, 'binding'))
      .flatMap((f) => [...readFileSync(join(tfjsNode, 'binding', f), 'utf8').matchAll(/#include\s+"((?:tensorflow|tsl|xla)\/[^"]+)"/g)].map((m) => m[1]))
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
    if 'tensorflow/c/c_api.h' not in seen:
        sys.exit('the wheel has no tensorflow/include/tensorflow/c/c_api.h')
`, join(download, wheel), staging, LIBS.join(','), includes.join(',')])
    if (!extract.ok) give(`could not extract the wheel: ${lastLines(extract.output, 1)}`)
    rmSync(libCache, { recursive: true, force: true })
    cpSync(staging, libCache, { recursive: true })
    rmSync(staging, { recursive: true, force: true })
  } finally {
    rmSync(download, { recursive: true, force: true })
  }
}

// 2. Where binding.gyp looks: deps/lib with the link names, deps/include.
rmSync(deps, { recursive: true, force: true })
mkdirSync(join(deps, 'lib'), { recursive: true })
for (const lib of LIBS) symlinkSync(join(libCache, 'lib', lib), join(deps, 'lib', lib))
for (const [link, target] of Object.entries(LINKS)) symlinkSync(target, join(deps, 'lib', link))
symlinkSync(join(libCache, 'include'), join(deps, 'include'))

// 3. The binding: from the cache, else built from source with tfjs-node's own node-pre-gyp.
let how = 'binding from cache'
if (existsSync(join(bindingCache, 'tfjs_binding.node'))) {
  mkdirSync(napiDir, { recursive: true })
  cpSync(join(bindingCache, 'tfjs_binding.node'), bindingFile)
} else {
  how = 'binding built from source'
  const preGyp = createRequire(join(tfjsNode, 'package.json')).resolve('@mapbox/node-pre-gyp/bin/node-pre-gyp')
  const nodedir = process.env.npm_config_nodedir ?? (existsSync('/usr/include/node/node.h') ? '/usr' : undefined)
  const build = run(process.execPath, [preGyp, 'install', '--build-from-source', ...(nodedir ? [`--nodedir=${nodedir}`] : [])], { cwd: tfjsNode, env })
  if (!build.ok || !existsSync(bindingFile)) give(`building the tfjs-node binding failed: ${lastLines(build.output)}`)
  mkdirSync(bindingCache, { recursive: true })
  cpSync(bindingFile, join(bindingCache, 'tfjs_binding.node'))
}

const check = loads()
if (!check.ok) {
  // A stale cached binding (or libraries) must not stick: drop it so the next install rebuilds.
  rmSync(bindingCache, { recursive: true, force: true })
  give(`@tensorflow/tfjs-node does not load: ${lastLines(check.output, 2)}`)
}
say(`native backend ready (${TF_WHEEL.name} ${TF_WHEEL.version} from PyPI, ${how})`)
