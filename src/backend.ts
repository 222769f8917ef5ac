import * as tf from '@tensorflow/tfjs'
import { rangeError } from './errors.js'
import type { BackendChoice, BackendName } from './types.js'

const CHOICES: readonly BackendChoice[] = ['auto', 'tensorflow', 'cpu']

type NativeState = { loaded: true } | { loaded: false; reason: string }
let native: Promise<NativeState> | undefined

/** Loads `@tensorflow/tfjs-node` once per process; it registers the `tensorflow` backend in the caller's tfjs engine. */
export function loadNative(): Promise<NativeState> {
  native ??= (async (): Promise<NativeState> => {
    if (tf.findBackend('tensorflow')) return { loaded: true }
    process.env.TF_CPP_MIN_LOG_LEVEL ??= '2' // TensorFlow's CPU-feature banner is noise in a test log
    // tfjs-node makes itself the global backend when imported; the backend the caller's own code runs on is theirs.
    const callers = (tf.engine() as unknown as { backendName: string | null }).backendName
    try {
      await load('@tensorflow/tfjs-node')
    } catch (error) {
      return { loaded: false, reason: firstLine(error) }
    }
    if (callers && tf.getBackend() !== callers) await tf.setBackend(callers)
    return tf.findBackend('tensorflow')
      ? { loaded: true }
      : { loaded: false, reason: '@tensorflow/tfjs-node loaded but registered no backend (two copies of @tensorflow/tfjs?)' }
  })()
  return native
}

// Set by the CJS build only (tsup.config.ts): there jest's module registry must do the loading. The ESM
// build and the sources import; `typeof require` cannot tell them apart, as esbuild shims `require` in ESM.
declare const __TRAINABILITY_CJS__: boolean | undefined

function load(id: string): Promise<unknown> {
  if (typeof __TRAINABILITY_CJS__ !== 'undefined' && __TRAINABILITY_CJS__) return Promise.resolve(require(id))
  return import(id)
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error)
  return text.split('\n')[0] ?? text
}

/** The backend asked for: the option, else `TRAINABILITY_BACKEND`, else `auto`. */
export function resolveBackendChoice(option?: BackendChoice): BackendChoice {
  const fromEnv = process.env.TRAINABILITY_BACKEND?.trim()
  const choice = option ?? (fromEnv ? (fromEnv as BackendChoice) : 'auto')
  if (!CHOICES.includes(choice)) {
    const where = option !== undefined ? 'options.backend' : 'TRAINABILITY_BACKEND'
    throw rangeError(`${where} must be one of ${CHOICES.map((c) => `'${c}'`).join(', ')}, received ${JSON.stringify(choice)}`)
  }
  return choice
}

/** The backends trainability can run on. */
export const BACKENDS: readonly BackendName[] = ['tensorflow', 'cpu']

/**
 * The backends that can run here, native TensorFlow first when `@tensorflow/tfjs-node` loads.
 *
 * @example
 * test.skipIf((await backendsAvailable()).length < 2)('same curves on every backend', ...)
 */
export async function backendsAvailable(): Promise<BackendName[]> {
  const native = (await loadNative()).loaded
  return BACKENDS.filter((name) => (name === 'tensorflow' ? native : tf.findBackend(name) !== undefined))
}

let fallbackNoticed = false

/** Picks the backend for a run; `auto` prefers native TensorFlow and says once when it falls back. */
export async function pickBackend(option?: BackendChoice): Promise<BackendName> {
  const choice = resolveBackendChoice(option)
  if (choice === 'cpu') return 'cpu'
  const state = await loadNative()
  if (state.loaded) return 'tensorflow'
  if (choice === 'tensorflow') {
    throw rangeError(
      `backend 'tensorflow' was requested but @tensorflow/tfjs-node cannot load: ${state.reason}. ` +
        `Run \`npx trainability native\` to provision it, or use { backend: 'cpu' }`,
    )
  }
  if (!fallbackNoticed) {
    fallbackNoticed = true
    console.warn(`trainability: native backend unavailable (${state.reason}); training on the cpu backend (\`npx trainability native\` provisions it)`)
  }
  return 'cpu'
}

/** Switches the global tfjs backend for the duration of `fn` and switches back afterwards. */
export async function onBackend<T>(name: BackendName, fn: () => Promise<T>): Promise<T> {
  const previous = tf.getBackend() as string | undefined
  if (previous !== name) await activate(name)
  else if (name === 'cpu') muteCpuBanner()
  try {
    return await fn()
  } finally {
    if (previous && previous !== name && tf.findBackend(previous)) await activate(previous)
  }
}

async function activate(name: string): Promise<void> {
  if (!(await tf.setBackend(name))) throw new Error(`trainability: tfjs could not initialise backend '${name}'`)
  if (name === 'cpu') muteCpuBanner()
}

let bannerMuted = false
// The CPU backend advertises tfjs-node on its first tensor; we already report the backend ourselves.
function muteCpuBanner(): void {
  if (bannerMuted) return
  bannerMuted = true
  const warn = console.warn
  console.warn = () => {}
  try {
    tf.scalar(0).dispose()
  } finally {
    console.warn = warn
  }
}
