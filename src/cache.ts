import * as tf from '@tensorflow/tfjs'
import { RUN_OPTIONS } from './checks/options.js'
import { Pacer, type Steps } from './pace.js'
import type { Observer, RunOutcome, RunRequest, Session } from './run.js'

/**
 * One run, many checks. Checks that need the same run reuse one recorded run, with every probe attached, instead of
 * each training its own, within the process: toStayFinite, toReduceLossMonotonically and toDependOnInput on the same
 * model and data train once, not three times, and the doctor's three 100-epoch checks draw one curve.
 *
 * The unit shared is a probed run (checks/probed.ts) whose request has no goal and no hooks of the check's own: it
 * trains a fixed number of epochs and records everything the probes see. A check that must watch the run as it goes
 * passes a Watch instead of hooks: named, read-only hooks whose findings are kept with the run; a watch may stop the run.
 * A run a request without watch asks for is served by any stored run of its key; a request with a watch by a run
 * that carried that same watch, or by one that did not when the watch can tell from the run what it would have seen
 * (Watch.derive). A run that stops at a goal shares only a run on which its goal never fired (`fits`): the goal-free
 * run is then the very run it would train (diagnose() and toDependOnInput on the same model, data and epochs train once).
 * Not shared: runs that stop at their goal (toOverfitTinyDataset), runs with
 * hooks that write (reduced precision) or read the start (toStartNearChanceLoss), and a shorter run as a prefix of a
 * longer one (toHaveHealthyGradients' one epoch inside a 100-epoch run): a failing check's causes read the evidence of
 * its whole run, final weights and activations included, which a longer run does not have.
 *
 * Correctness, not speed, decides what is shared: a shared run's verdicts and messages are those of a separate run.
 * - A run is a pure function of its key under its seed (DESIGN rule 1: the same seed gives the bit-identical curve).
 * - Probes and watches only read: no random draws, no writes; attaching one more changes nothing the run records.
 * - A run is stored only when it ended as a goal-free run would have (its epoch budget, or a non-finite loss): a watch
 *   that stopped it made a run no other check asked for. Nor is a run the clock stopped stored: another check's
 *   budget might have let it finish, and its verdict would then depend on which check came first.
 * - What is handed out is a deep copy of plain data (the outcome holds no tensors): a check that edits its outcome
 *   edits its own copy, and nothing is disposed twice.
 *
 * The key: the subject as passed to `expect(...)` (by reference, and for a model instance a fingerprint of its weights
 * and its compile, which the user may change between two checks; a `{ model, preprocess, compile }` spec by its parts),
 * the data (tensors by reference: they are immutable, and a disposed one is never shared; nested arrays by a 64-bit hash
 * of their content, taken on every call, so an array edited in place is a new key), the seed and backend as resolved,
 * every run option in RUN_OPTIONS but the budget (`timeoutMs`) and `cache` (an optimizer instance by its class and
 * config, the only part a run uses), and the request's epochs, default data, transformX (by reference) and keepWeights.
 * A factory is keyed by reference: it must build the same model on every call (the seed makes its initializers
 * repeat), and a shared run calls it once. `cache: false` trains a fresh run, and stores nothing.
 *
 * Lifetime: within a process, at most MAX_RUNS runs, least recently used first out; stored runs are reached through a
 * WeakMap keyed by the subject, so a subject nothing else holds is collected with its runs. A hit takes no time from
 * the check's budget.
 */

/** How many runs the process keeps: a test file's checks on one model share one or two. */
const MAX_RUNS = 8

/**
 * Read-only hooks a check attaches to a shared run, and what they saw. They draw no random numbers and write nothing;
 * `afterEpoch` may return true to stop the run (then the run is not stored).
 */
export interface Watch<T> {
  /** Names the watch: a check that needs it shares only runs that carried it. */
  readonly name: string
  start(): { observer: Observer; seen(): T }
  /**
   * What the watch would have seen on a stored run that did not carry it, when that run shows it for certain (the watch
   * would not have stopped it, and what it would have recorded follows from the run); undefined when it does not.
   */
  derive?(outcome: Shareable): T | undefined
}

/** A run as the cache keeps it: the outcome, and what its watch saw (when it carried one). */
export type Shareable = RunOutcome & { seen?: unknown }

interface Entry {
  parts: unknown[]
  watch?: string
  outcome: Shareable
}

const bySubject = new WeakMap<object, Entry[]>()
/** Least recently used first. */
const recent: { subject: WeakRef<object>; entry: Entry }[] = []
const counts = { hits: 0, runs: 0 }

/**
 * Runs `run` (a probed run of `request` in `session`, carrying `watch`), or hands out a copy of the run stored under the
 * same key. `run` must attach `watch` and store what it saw in `seen`. `fits`: for a run `run` trains with a goal (which
 * `request`, its key, leaves out), whether a run of `request` is one the goal never stopped, so that both are one run;
 * only such a run is handed out for it, or stored from it.
 */
export async function shared<O extends Shareable>(session: Session, request: RunRequest, watch: Watch<unknown> | undefined, run: () => Promise<O>, fits: (outcome: Shareable) => boolean = () => true): Promise<O> {
  // Hashing 200k nested rows takes a tenth of a second: the event loop gets turns in it (no run, no seed, is open yet).
  const key = await new Pacer((wait) => wait()).run(keySteps(session, request))
  if (!key) return run()
  const found = bySubject.get(key.subject)?.find((e) => sameParts(e.parts, key.parts))
  const same = found && fits(found.outcome) ? found : undefined
  if (same && (watch === undefined || same.watch === watch.name)) {
    counts.hits++
    touch(same)
    return copy(same.outcome) as O
  }
  const derived = same ? watch?.derive?.(same.outcome) : undefined
  if (same && derived !== undefined) {
    counts.hits++
    touch(same)
    return { ...copy(same.outcome), seen: copy(derived) } as O
  }
  const outcome = await run()
  counts.runs++
  const { stoppedBy } = outcome.record
  if ((stoppedBy === 'maxEpochs' || stoppedBy === 'nonFinite') && fits(outcome)) store(key, { parts: key.parts, watch: watch?.name, outcome: copy(outcome) })
  return outcome
}

/** Runs handed out from the cache and runs trained through it since the process started, and runs kept now. */
export function sharedRunStats(): { hits: number; runs: number; kept: number } {
  return { ...counts, kept: recent.length }
}

/** Forgets every stored run (a test's clean start). */
export function forgetSharedRuns(): void {
  for (const { subject } of recent.splice(0)) {
    const held = subject.deref()
    if (held) bySubject.delete(held)
  }
}

function store(key: Key, entry: Entry): void {
  const entries = bySubject.get(key.subject) ?? []
  // One run per key: a run that carried a watch replaces one that did not (it serves more checks).
  const same = entries.findIndex((e) => sameParts(e.parts, entry.parts))
  if (same >= 0) {
    if (entries[same]!.watch !== undefined || entry.watch === undefined) return
    drop(entries[same]!)
  }
  entries.push(entry)
  bySubject.set(key.subject, entries)
  recent.push({ subject: new WeakRef(key.subject), entry })
  while (recent.length > MAX_RUNS) drop(recent[0]!.entry)
}

function drop(entry: Entry): void {
  const at = recent.findIndex((r) => r.entry === entry)
  if (at < 0) return
  const held = recent.splice(at, 1)[0]!.subject.deref()
  const entries = held && bySubject.get(held)
  if (entries) entries.splice(entries.indexOf(entry), 1)
}

function touch(entry: Entry): void {
  const at = recent.findIndex((r) => r.entry === entry)
  if (at >= 0) recent.push(...recent.splice(at, 1))
}

interface Key {
  subject: object
  parts: unknown[]
}

const sameParts = (a: readonly unknown[], b: readonly unknown[]): boolean => a.length === b.length && a.every((v, i) => Object.is(v, b[i]))

/** Run options that do not shape the run: the budget, and this switch. Seed and backend enter as the session resolved them. */
const NOT_SHAPING = new Set(['timeoutMs', 'cache', 'seed', 'backend', 'maxEpochs'])

/** The key of a run a check may share, or undefined when it may not (cache off, hooks of its own, data we cannot key). */
function* keySteps(session: Session, request: RunRequest): Steps<Key | undefined> {
  const { subject, options } = session
  if (options.cache === false) return undefined
  if (request.goal || request.before || request.afterEpoch || request.onGradients || request.onLastGradients || request.after || request.observers?.length) return undefined
  const target = keyTarget(subject)
  const model = target && subjectParts(subject)
  const data = yield* dataParts(request)
  if (!target || !model || !data) return undefined
  const shaping = Object.keys(RUN_OPTIONS.kinds).filter((name) => !NOT_SHAPING.has(name))
  return {
    subject: target,
    parts: [
      session.backend, request.seed ?? session.seed,
      ...shaping.map((name) => identity((options as Record<string, unknown>)[name])),
      ...model, ...data,
      request.maxEpochs, request.transformX, request.keepWeights === true,
    ],
  }
}

type Spec = { model?: unknown; preprocess?: unknown; compile?: { loss?: unknown; optimizer?: unknown; learningRate?: unknown } }

/** The object runs are filed under, held weakly: the model or factory, also inside a `{ model, preprocess, compile }` spec. */
function keyTarget(subject: unknown): object | undefined {
  const inner = isModel(subject) || typeof subject !== 'object' || subject === null ? subject : (subject as Spec).model
  return (typeof inner === 'object' && inner !== null) || typeof inner === 'function' ? inner : undefined
}

/** What identifies the model under test besides the reference it is filed under; never that reference (held weakly). */
function subjectParts(subject: unknown): unknown[] | undefined {
  if (isModel(subject)) return modelParts(subject)
  if (typeof subject === 'function') return ['factory']
  const spec = subject as Spec
  const model = isModel(spec.model) ? modelParts(spec.model) : typeof spec.model === 'function' ? ['factory'] : undefined
  if (!model) return undefined
  return ['spec', ...model, spec.preprocess, identity(spec.compile?.loss), identity(spec.compile?.optimizer), identity(spec.compile?.learningRate)]
}

/** A model instance: its weights may change between two checks (the user trains it), and so may its compile. */
function modelParts(model: tf.LayersModel): unknown[] | undefined {
  try {
    const hash = new Hash()
    for (const w of model.getWeights()) {
      hash.values(w.shape)
      hash.values(w.dataSync())
    }
    return ['model', hash.digest(), identity(model.loss), identity(model.optimizer)]
  } catch {
    return undefined // a disposed model: let the run say so
  }
}

/** The training data: tensors by reference (immutable; never a disposed one or a variable), arrays by content. */
function* dataParts(request: RunRequest): Steps<unknown[] | undefined> {
  const { dataset } = request
  if (dataset === undefined) return ['default', request.defaultData ?? 'tiny']
  if (typeof dataset !== 'object' || dataset === null) return undefined
  const x = yield* valueKey(dataset.x)
  const y = yield* valueKey(dataset.y)
  return x === undefined || y === undefined ? undefined : [x, y]
}

/** Rows of a nested array hashed between two steps (see Pacer): about 1M numbers, a few ms. */
const HASH_STEP = 1 << 20

function* valueKey(value: unknown): Steps<unknown> {
  if (value instanceof tf.Variable) return undefined
  if (value instanceof tf.Tensor) return value.isDisposed ? undefined : value
  if (Array.isArray(value) || isNumberView(value)) {
    const hash = new Hash()
    if (!Array.isArray(value) || !Array.isArray(value[0])) hash.walk(value)
    else {
      // Row by row, as walk hashes an array, with a step every HASH_STEP numbers.
      const rows = value as unknown[]
      const every = Math.max(1, Math.floor(HASH_STEP / Math.max(1, sizeOf(rows[0]))))
      hash.open(rows.length)
      for (let i = 0; i < rows.length; i++) {
        if (i > 0 && i % every === 0) yield
        hash.walk(rows[i])
      }
      hash.close()
    }
    return hash.digest()
  }
  return undefined
}

/** Numbers in a (first) row: the product of the first lengths down the nesting. */
function sizeOf(row: unknown): number {
  let size = 1
  for (let level = row; Array.isArray(level); level = level[0]) size *= level.length
  return size
}

/** An option's identity: primitives by value, an optimizer by its class and config (what a run reads), others by reference. */
function identity(value: unknown): unknown {
  if (value === null) return undefined // an option given as null keeps its default
  if (typeof value !== 'object') return value
  const optimizer = value as Partial<tf.Optimizer>
  if (typeof optimizer.getClassName === 'function' && typeof optimizer.getConfig === 'function') {
    return `${optimizer.getClassName()} ${JSON.stringify(optimizer.getConfig())}`
  }
  if (Array.isArray(value) && value.every((v) => typeof v !== 'object' && typeof v !== 'function')) return JSON.stringify(value)
  return value
}

function isModel(value: unknown): value is tf.LayersModel {
  const v = value as Partial<tf.LayersModel> | null
  return typeof v === 'object' && v !== null && Array.isArray(v.layers) && typeof v.getWeights === 'function'
}

function isNumberView(value: unknown): value is ArrayLike<number> {
  return ArrayBuffer.isView(value) && !(value instanceof DataView)
}

/**
 * Two independent 32-bit multiplicative hashes over every number's float64 bits and the nesting: 64 bits, so two
 * different datasets share a key with probability ~2^-64. Not for adversaries, for data edited in place.
 */
class Hash {
  private a = 0x811c9dc5
  private b = 0x5bd1e995
  private readonly bits = new Float64Array(1)
  private readonly words = new Uint32Array(this.bits.buffer)

  digest(): string {
    return `${(this.a >>> 0).toString(16)}${(this.b >>> 0).toString(16).padStart(8, '0')}`
  }

  walk(value: unknown): void {
    if (typeof value === 'number') return this.number(value)
    if (Array.isArray(value)) {
      this.open(value.length)
      this.entries(value)
      return this.close()
    }
    if (isNumberView(value)) return this.values(value)
    // Not a number: invalid data, which the run rejects; still keyed by what it is.
    const text = `${typeof value}:${String(value)}`
    for (let i = 0; i < text.length; i++) this.word(text.charCodeAt(i))
  }

  /** What walk hashes before an array's entries, and after them. */
  open(length: number): void {
    this.word(0x5b5b0000 + length)
  }

  close(): void {
    this.word(0x5d5d)
  }

  values(values: ArrayLike<number>): void {
    this.word(0x7b7b0000 + values.length)
    this.entries(values)
  }

  /**
   * Each entry in order, as walk would: a number's two words mixed here, in locals. A call per number would box it (and
   * its 32-bit words) on the heap: 200k rows of 50 made 230 MB of garbage.
   */
  private entries(list: ArrayLike<unknown>): void {
    const { bits, words } = this
    let a = this.a
    let b = this.b
    for (let i = 0; i < list.length; i++) {
      const v = list[i]
      if (typeof v !== 'number') {
        this.a = a
        this.b = b
        this.walk(v)
        a = this.a
        b = this.b
        continue
      }
      bits[0] = v
      for (let k = 0; k < 2; k++) {
        const w = words[k]!
        a = Math.imul(a ^ w, 0x01000193)
        a ^= a >>> 15
        b = Math.imul(b + w, 0x9e3779b1)
        b ^= b >>> 13
      }
    }
    this.a = a
    this.b = b
  }

  private number(n: number): void {
    this.bits[0] = n
    this.word(this.words[0]!)
    this.word(this.words[1]!)
  }

  private word(w: number): void {
    this.a = Math.imul(this.a ^ w, 0x01000193)
    this.a ^= this.a >>> 15
    this.b = Math.imul(this.b + w, 0x9e3779b1)
    this.b ^= this.b >>> 13
  }
}

/** A deep copy of plain data (arrays, plain objects, typed arrays); functions and class instances by reference. */
function copy<T>(value: T): T {
  if (Array.isArray(value)) return value.map(copy) as T
  if (isNumberView(value)) return (value as unknown as Float32Array).slice() as T
  if (typeof value === 'object' && value !== null) {
    const proto = Object.getPrototypeOf(value)
    if (proto !== Object.prototype && proto !== null) return value
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value)) out[k] = copy(v)
    return out as T
  }
  return value
}
