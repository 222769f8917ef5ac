import { relative } from 'node:path'
import { parseArgs } from 'node:util'
import { findNativeProject, INSTALL_TFJS_NODE, NoTfjsNode } from '../native/project.js'
import { NativeUnavailable, provisionNative, WHEEL, type Provisioned } from '../native/provision.js'
import { backendStatus, formatStatus } from '../native/status.js'
import { UsageError } from './errors.js'

export const NATIVE_USAGE = `usage: trainability native [--force]
       trainability native --check [--strict]

Provisions the native TensorFlow backend of @tensorflow/tfjs-node in your project without tfjs-node's own
install script (whose download host CI machines often cannot reach): libtensorflow from the ${WHEEL.name}
${WHEEL.version} wheel on the Python package index (pip), then tfjs-node's binding (built once with the
C++ toolchain). Both are cached per machine (TRAINABILITY_CACHE_DIR, default ~/.cache/trainability).
Install tfjs-node first: ${INSTALL_TFJS_NODE}

options
  --check    say which backend a test gets here and why (loads it as the matchers do; changes nothing)
  --strict   with --check: exit 1 unless the backend is tensorflow
  --force    download the wheel and build the binding again, ignoring the cache
  -h, --help this text

exit codes: 0 provisioned (or --check); 1 cannot provision here (the message says what to install), or
--check --strict without tensorflow; 2 bad arguments, or @tensorflow/tfjs-node not installed; 3 internal error.`

/** `trainability native [--check [--strict]] [--force]`: resolves to the exit code (see NATIVE_USAGE). */
export async function native(argv: readonly string[]): Promise<number> {
  let values
  try {
    ;({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        check: { type: 'boolean', default: false },
        strict: { type: 'boolean', default: false },
        force: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }))
  } catch (error) {
    throw new UsageError(`${(error as Error).message}; run \`trainability native --help\` for the flags`)
  }
  if (values.help) {
    process.stdout.write(`${NATIVE_USAGE}\n`)
    return 0
  }
  if (values.strict && !values.check) throw new UsageError('--strict goes with --check: `trainability native --check --strict`')
  if (values.check && values.force) throw new UsageError('--check changes nothing, --force provisions again: pass one of them')

  if (values.check) {
    const status = await backendStatus()
    process.stdout.write(`${formatStatus(status)}\n`)
    return values.strict && status.backend !== 'tensorflow' ? 1 : 0
  }

  let project
  try {
    project = findNativeProject(process.cwd())
  } catch (error) {
    if (error instanceof NoTfjsNode) throw new UsageError(error.message)
    throw error
  }
  try {
    const done = provisionNative({
      tfjsNode: project.tfjsNode,
      force: values.force,
      log: (line) => process.stdout.write(`trainability: ${line}…\n`),
    })
    process.stdout.write(`${report(done, project.root)}\n`)
    return 0
  } catch (error) {
    if (!(error instanceof NativeUnavailable)) throw error
    process.stderr.write(`trainability: native backend not provisioned in ${project.root}: ${error.message}\n` +
      'tests there train on the cpu backend until it is.\n')
    return 1
  }
}

/** What was done, where, and from what. */
function report(p: Provisioned, root: string): string {
  const local = (path: string): string => (path.startsWith(root) ? relative(root, path) : path)
  const what = {
    present: 'in place',
    cached: 'from the cache',
    downloaded: `downloaded (${p.libraries.note ?? ''})`,
    built: `built from source (${p.binding.note ?? ''})`,
  }
  const source = p.source === 'wheel' ? `the ${WHEEL.name} wheel (Python package index, pip)` : "tfjs-node's own install script"
  const rows: [string, string][] = [
    ['tfjs-node', `@tensorflow/tfjs-node ${p.tfjsNodeVersion} in ${local(p.tfjsNode)}`],
    ['libtensorflow', `TensorFlow ${p.tensorflow} from ${source}, ${what[p.libraries.how]}: ${p.libraries.dir}`],
    ['binding', `${what[p.binding.how]}: ${local(p.binding.file)}${p.binding.cache ? ` (cache ${p.binding.cache})` : ''}`],
  ]
  return [
    `trainability: native backend ready in ${root} (${p.binding.how === 'present' ? 'already provisioned, nothing changed; ' : ''}${p.seconds.toFixed(1)} s)`,
    ...rows.map(([label, text]) => `  ${label.padEnd(14)}${text}`),
    'tests in this project now train on backend tensorflow; `npx trainability native --check` says so',
  ].join('\n')
}
