import { constants } from 'node:fs'
import { access, stat, writeFile } from 'node:fs/promises'
import { basename, dirname, resolve } from 'node:path'
import { onBackend, pickBackend } from '../backend.js'
import { isInputError } from '../errors.js'
import type { CompileOptions, RunOptions, Subject } from '../types.js'
import { parseCommandLine, USAGE, type DoctorArgs } from './args.js'
import { CHECKLIST } from './checklist.js'
import { UsageError } from './errors.js'
import { encodeLabels, fitToModel, readData } from './load-data.js'
import { modelFrom, readModelArtifacts } from './load-model.js'
import { native } from './native.js'
import { progress } from './progress.js'
import { htmlReport } from './report-html.js'
import { jsonReport, textReport, type CheckOutcome } from './report-text.js'

/**
 * `trainability` on the command line. Resolves to the exit code: 0 all checks pass, 1 a check failed, 2 bad input
 * (the command line, its files, or what the library rejects as input), 3 an internal error: a bug of ours, with its stack.
 */
export async function main(argv: readonly string[]): Promise<number> {
  try {
    if (argv[0] === 'native') return await native(argv.slice(1))
    const args = parseCommandLine(argv)
    if (args.command === 'help') {
      process.stdout.write(`${USAGE}\n`)
      return 0
    }
    const backend = await pickBackend()
    return await onBackend(backend, () => doctor(args))
  } catch (error) {
    // Bad input is one line; the library's own input errors already name the argument and the fix.
    if (error instanceof UsageError || isInputError(error)) {
      process.stderr.write(`trainability: ${error.message.split('\n')[0]}\n`)
      return 2
    }
    const stack = error instanceof Error ? error.stack ?? `${error.name}: ${error.message}` : String(error)
    process.stderr.write(`trainability: internal error, please report it with the command that ran:\n${stack}\n`)
    return 3
  }
}

async function doctor(args: DoctorArgs): Promise<number> {
  if (args.html !== undefined) await checkWritable(args.html) // before minutes of checks, not after
  const artifacts = await readModelArtifacts(args.model)
  const table = await readData(args.data)
  const model = await modelFrom(artifacts, args.model)
  try {
    fitToModel(table, model.inputs[0]?.shape ?? [], args.data)
    const output = model.outputs[0]?.shape ?? []
    const data = encodeLabels(table, output[output.length - 1], args.loss ?? lossName(artifacts.trainingConfig?.loss), args.task, args.data)
    const compile: CompileOptions = {
      ...(args.loss !== undefined && { loss: args.loss }),
      ...(args.optimizer !== undefined && { optimizer: args.optimizer }),
      ...(args.learningRate !== undefined && { learningRate: args.learningRate }),
    }
    if (artifacts.trainingConfig === undefined && compile.loss === undefined) {
      throw new UsageError(`--model ${args.model} was saved without its training config: pass --loss (e.g. binaryCrossentropy), --optimizer and --lr`)
    }
    const subject: Subject = { model, compile }
    const options: RunOptions = { ...(args.task !== undefined && { task: args.task }), ...(args.seed !== undefined && { seed: args.seed }) }
    const name = `${basename(dirname(args.model))}/${basename(args.model)} on ${basename(args.data)}`
    const started = performance.now()
    const show = progress()
    const outcomes: CheckOutcome[] = []
    for (const [index, entry] of CHECKLIST.entries()) {
      show.start(index, CHECKLIST.length, entry.name)
      const result = await entry.run(subject, data, options)
      show.done(result.pass)
      outcomes.push({ name: entry.name, matcher: entry.matcher, result })
    }
    const elapsed = performance.now() - started
    process.stdout.write(`${args.json ? jsonReport(name, outcomes, elapsed) : textReport(name, outcomes, elapsed)}\n`)
    if (args.html !== undefined) {
      await writeFile(args.html, htmlReport(name, outcomes, elapsed)).catch((error: NodeJS.ErrnoException) => {
        throw new UsageError(`--html ${args.html} cannot be written: ${error.code ?? error.message}`)
      })
      if (!args.json) process.stdout.write(`html report: ${args.html}\n`)
    }
    return outcomes.every((o) => o.result.pass) ? 0 : 1
  } finally {
    model.dispose()
  }
}

/** Fails with one line when the report could not be written: a missing or read-only directory, or a directory in its place. */
async function checkWritable(path: string): Promise<void> {
  const fail = (why: string): never => {
    throw new UsageError(`--html ${path} cannot be written: ${why}; pass a path in a writable directory`)
  }
  const existing = await stat(path).catch(() => undefined)
  if (existing?.isDirectory()) fail('it is a directory')
  await access(existing ? path : dirname(resolve(path)), constants.W_OK).catch((error: NodeJS.ErrnoException) =>
    fail(error.code === 'ENOENT' ? `directory ${dirname(resolve(path))} does not exist` : error.code ?? error.message),
  )
}

/** The loss of a saved training config: a name, or the first of a list or map (one output). */
function lossName(loss: string | string[] | { [name: string]: string } | undefined): string | undefined {
  if (loss === undefined || typeof loss === 'string') return loss
  return Array.isArray(loss) ? loss[0] : Object.values(loss)[0]
}
