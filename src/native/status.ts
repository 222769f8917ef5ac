import { existsSync, realpathSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import * as tf from '@tensorflow/tfjs'
import { loadNative, resolveBackendChoice } from '../backend.js'
import type { BackendName } from '../types.js'
import { INSTALL_TFJS_NODE } from './project.js'

/** Which backend a test gets here and why: what `trainability native --check` prints. */
export interface BackendStatus {
  /** `undefined`: a test throws before training (TRAINABILITY_BACKEND asks for what cannot load, or is invalid). */
  backend: BackendName | undefined
  /** For `tensorflow`: `native, libtensorflow 2.21.0 at <path>`. */
  detail?: string
  why?: string
  fix?: string
}

const PROVISION = 'npx trainability native'

/**
 * Loads the backend the way a matcher does (src/backend.ts: TRAINABILITY_BACKEND, then native when it loads) and says
 * which one a test will train on, and why.
 *
 * @example
 * console.log(formatStatus(await backendStatus()))   // backend: tensorflow (native, libtensorflow 2.21.0 at …)
 */
export async function backendStatus(): Promise<BackendStatus> {
  let choice
  try {
    choice = resolveBackendChoice()
  } catch (error) {
    return { backend: undefined, why: (error as Error).message, fix: 'set TRAINABILITY_BACKEND to auto, tensorflow or cpu, or unset it' }
  }
  const state = await loadNative()
  const forced = `TRAINABILITY_BACKEND=${choice}`
  if (choice === 'cpu') {
    return { backend: 'cpu', why: `${forced} forces it (native ${state.loaded ? 'would load' : `would not: ${summarize(state.reason).why}`})`, fix: 'unset TRAINABILITY_BACKEND for native' }
  }
  if (state.loaded) return { backend: 'tensorflow', detail: nativeDetail() }
  const { why, fix } = summarize(state.reason)
  if (choice === 'tensorflow') return { backend: undefined, why: `${forced} but ${why}; a test throws`, fix }
  return { backend: 'cpu', why, fix }
}

/** One line: `backend: tensorflow (native, …)` or `backend: cpu — why: … — fix: …`. */
export function formatStatus(status: BackendStatus): string {
  const head = status.backend === undefined ? 'backend: none' : `backend: ${status.backend}`
  if (status.backend === 'tensorflow') return `${head} (${status.detail})`
  return `${head} — why: ${status.why}${status.fix ? ` — fix: ${status.fix}` : ''}`
}

/** A load error of @tensorflow/tfjs-node in words, with its first line, and what fixes it. */
export function summarize(reason: string): { why: string; fix: string } {
  const trimmed = reason.trim().replace(/[.\s]+$/, '')
  const raw = trimmed.length > 200 ? `${trimmed.slice(0, 200)}…` : trimmed
  if (/Cannot find (module|package) '@tensorflow\/tfjs-node'/.test(reason)) {
    return { why: '@tensorflow/tfjs-node is not installed', fix: `${INSTALL_TFJS_NODE}, then ${PROVISION}` }
  }
  if (/tfjs_binding\.node/.test(reason)) {
    return { why: `tfjs-node's binding was never built: its install script did not run or failed (${raw})`, fix: PROVISION }
  }
  if (/libtensorflow\S*: cannot open shared object|Library not loaded|libtensorflow\S* .*(No such file|not found)/i.test(reason)) {
    return { why: `libtensorflow is missing (${raw})`, fix: PROVISION }
  }
  return { why: raw, fix: PROVISION }
}

// Where the loaded tfjs-node is: resolved from here, as backend.ts imports it.
function nativeDetail(): string {
  const backend = tf.findBackend('tensorflow') as { binding?: { TF_Version?: string } } | undefined
  const version = backend?.binding?.TF_Version ?? 'of unknown version'
  let at = ''
  try {
    const dir = dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-node/package.json'))
    const lib = ['libtensorflow.so', 'libtensorflow.dylib', 'tensorflow.dll'].map((f) => join(dir, 'deps', 'lib', f)).find((f) => existsSync(f))
    at = ` at ${lib ? realpathSync(lib) : dir}`
  } catch {
    // registered by a tfjs-node we cannot resolve from here (loaded by the user first): the version is enough
  }
  return `native, libtensorflow ${version}${at}`
}
