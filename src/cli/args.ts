import { parseArgs } from 'node:util'
import type { Task } from '../types.js'
import { UsageError } from './errors.js'

export const USAGE = `usage: trainability doctor --model path/to/model.json --data data.(json|csv) [options]

Trains the saved tfjs Layers model on its data under the trainability checklist and reports why it
does or does not train. Exit code 0: every check passed; 1: a check failed; 2: bad arguments or files.

options
  --model <model.json>   a tfjs Layers model saved with model.save(); weight shards next to it
  --data <file>          JSON { "x": [[...]], "y": [...] } or CSV (numbers, last column = label,
                         optional header row); class indices 0..C-1 are one-hot encoded when the
                         model outputs C units and its loss is not sparse
  --task <task>          binary | multiclass | regression (default: inferred from the model and labels)
  --html <report.html>   also write a self-contained HTML report with a loss curve per check
  --json                 print machine-readable results instead of the text report: per check its
                         verdict, message, findings, record and curves (the values the HTML report
                         draws); NaN and ±Infinity are written as the strings "NaN", "Infinity", "-Infinity"
  --loss <name>          tfjs loss name, for a model saved without its training config
  --optimizer <name>     tfjs optimizer name (sgd, adam, ...), same
  --lr <number>          learning rate, same
  --seed <integer>       seed of every run (default TRAINABILITY_SEED or 42)
  -h, --help             this text

environment: TRAINABILITY_BACKEND=cpu|tensorflow picks the backend (default: native when it loads).

trainability native [--check]   provisions the native TensorFlow backend in your project (--help for more)`

export interface DoctorArgs {
  command: 'doctor'
  model: string
  data: string
  task?: Task
  html?: string
  json: boolean
  loss?: string
  optimizer?: string
  learningRate?: number
  seed?: number
}

export type Args = { command: 'help' } | DoctorArgs

const TASKS: readonly Task[] = ['binary', 'multiclass', 'regression']

/** Parses `trainability <command> [flags]`; throws UsageError naming the flag and the fix. */
export function parseCommandLine(argv: readonly string[]): Args {
  if (argv.length === 0) return { command: 'help' }
  let parsed
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        model: { type: 'string' },
        data: { type: 'string' },
        task: { type: 'string' },
        html: { type: 'string' },
        json: { type: 'boolean', default: false },
        loss: { type: 'string' },
        optimizer: { type: 'string' },
        lr: { type: 'string' },
        seed: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    })
  } catch (error) {
    throw new UsageError(`${(error as Error).message}; run \`trainability --help\` for the flags`)
  }
  const { values, positionals } = parsed
  if (values.help) return { command: 'help' }
  const [command, ...extra] = positionals
  if (command !== 'doctor') throw new UsageError(`unknown command ${JSON.stringify(command ?? '')}: the commands are \`trainability doctor --model model.json --data data.csv\` and \`trainability native\``)
  if (extra.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(extra[0])}: pass files with --model and --data`)
  if (values.model === undefined) throw new UsageError('--model is missing: pass --model path/to/model.json')
  if (values.data === undefined) throw new UsageError('--data is missing: pass --data data.json or --data data.csv')
  const task = values.task
  if (task !== undefined && !TASKS.includes(task as Task)) throw new UsageError(`--task must be binary, multiclass or regression, received ${JSON.stringify(task)}`)
  return {
    command: 'doctor',
    model: values.model,
    data: values.data,
    json: values.json,
    ...(task !== undefined && { task: task as Task }),
    ...(values.html !== undefined && { html: values.html }),
    ...(values.loss !== undefined && { loss: values.loss }),
    ...(values.optimizer !== undefined && { optimizer: values.optimizer }),
    ...(values.lr !== undefined && { learningRate: positiveNumber('--lr', values.lr) }),
    ...(values.seed !== undefined && { seed: integer('--seed', values.seed) }),
  }
}

function positiveNumber(flag: string, text: string): number {
  const value = Number(text)
  if (!Number.isFinite(value) || value <= 0) throw new UsageError(`${flag} must be a positive number, received ${JSON.stringify(text)}`)
  return value
}

function integer(flag: string, text: string): number {
  const value = Number(text)
  if (!Number.isSafeInteger(value)) throw new UsageError(`${flag} must be an integer, received ${JSON.stringify(text)}`)
  return value
}
