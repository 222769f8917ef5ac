import { extname } from 'node:path'
import { readText } from './load-model.js'
import type { Task } from '../types.js'
import { UsageError } from './errors.js'

/** The doctor's dataset: one row of features per sample, labels as numbers or one-hot rows. */
export interface Table {
  x: number[][]
  y: number[] | number[][]
}

/** Reads JSON `{ "x": [[...]], "y": [...] }` or CSV (numbers, last column = label, optional header row). */
export async function readData(path: string): Promise<Table> {
  const text = await readText(path, '--data')
  const table = extname(path).toLowerCase() === '.json' || text.trimStart().startsWith('{') ? fromJson(text, path) : fromCsv(text, path)
  if (table.x.length === 0) throw new UsageError(`--data ${path} has no samples`)
  if (table.x.length !== table.y.length) throw new UsageError(`--data ${path} has ${table.x.length} rows of x but ${table.y.length} labels; give one label per row`)
  const width = table.x[0]!.length
  const ragged = table.x.findIndex((row) => row.length !== width)
  if (ragged >= 0) throw new UsageError(`--data ${path}: sample ${ragged} has ${table.x[ragged]!.length} features, sample 0 has ${width}; every row needs the same width`)
  return table
}

/** Fails with one line when the data's feature count is not the model's input width. */
export function fitToModel(table: Table, inputShape: readonly (number | null)[], path: string): void {
  const features = inputShape.slice(1)
  if (features.length !== 1 || features[0] === null) return // not a flat input: let the checks validate it
  const width = table.x[0]!.length
  if (width !== features[0]) {
    throw new UsageError(`--data ${path} has ${width} feature column(s) but the model takes ${features[0]}; a CSV needs ${features[0]} feature columns then the label`)
  }
}

/**
 * A label column of class indices fits a model that outputs one unit per class once one-hot encoded, as the
 * tfjs-examples do with tf.oneHot; a sparse loss takes the indices as they are, and one-hot rows pass through.
 */
export function encodeLabels(table: Table, outputUnits: number | null | undefined, loss: string | undefined, task: Task | undefined, path: string): Table {
  if (!outputUnits || task === 'regression') return table
  if (table.y.some((label) => Array.isArray(label))) {
    const rows = table.y as number[][]
    const wrong = rows.findIndex((row) => !Array.isArray(row) || row.length !== outputUnits)
    if (wrong >= 0 && outputUnits >= 2) {
      const row = rows[wrong]
      throw new UsageError(`--data ${path}: label row of sample ${wrong} has ${Array.isArray(row) ? row.length : 1} value(s) but the model outputs ${outputUnits} units, one per class; give one-hot rows of ${outputUnits} values or class indices 0..${outputUnits - 1}`)
    }
    return table
  }
  const labels = table.y as number[]
  if (outputUnits < 2) {
    // One sigmoid unit: a binary cross-entropy label is the probability of class 1, so 0 or 1 (anything in [0, 1]).
    if (loss === undefined || !/binary/i.test(loss)) return table
    const bad = labels.findIndex((c) => !(c >= 0 && c <= 1))
    if (bad >= 0) {
      throw new UsageError(`--data ${path}: label ${labels[bad]} of sample ${bad} is not a class of the model: it has one output unit and loss ${loss}, so labels are 0 or 1`)
    }
    return table
  }
  const bad = labels.findIndex((c) => !Number.isInteger(c) || c < 0 || c >= outputUnits)
  if (bad >= 0) {
    throw new UsageError(`--data ${path}: label ${labels[bad]} of sample ${bad} is not a class index 0..${outputUnits - 1}; the model outputs ${outputUnits} units, one per class`)
  }
  if (loss !== undefined && /sparse/i.test(loss)) return table // a sparse loss takes the indices as they are
  return { x: table.x, y: labels.map((c) => Array.from({ length: outputUnits }, (_, k) => (k === c ? 1 : 0))) }
}

function fromJson(text: string, path: string): Table {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    throw new UsageError(`--data ${path} is not valid JSON: pass { "x": [[...]], "y": [...] } or a CSV file`)
  }
  const { x, y } = (typeof json === 'object' && json !== null ? json : {}) as { x?: unknown; y?: unknown }
  const rows = Array.isArray(x) ? x.map((row) => (Array.isArray(row) ? row : [row])) : undefined
  if (!rows || !rows.every((row) => row.every(isNumber))) throw new UsageError(`--data ${path}: "x" must be an array of rows of numbers, e.g. { "x": [[0.1, 2]], "y": [1] }`)
  if (!Array.isArray(y) || !(y.every(isNumber) || y.every((r) => Array.isArray(r) && r.every(isNumber)))) {
    throw new UsageError(`--data ${path}: "y" must be an array of numbers or of one-hot rows, e.g. "y": [1, 0]`)
  }
  return { x: rows as number[][], y: y as number[] | number[][] }
}

function fromCsv(text: string, path: string): Table {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '')
  const cells = lines.map((line) => line.split(',').map((cell) => cell.trim()))
  // A header names columns: it has no numeric cell. A row with some numbers and a bad cell is data with an error.
  const header = cells.length > 0 && !cells[0]!.some(isNumeric)
  if (header) cells.shift()
  const x: number[][] = []
  const y: number[] = []
  for (const [i, row] of cells.entries()) {
    if (row.length < 2) throw new UsageError(`--data ${path}: row ${i + 1 + (header ? 1 : 0)} has ${row.length} column; a CSV needs feature columns then a label column`)
    const bad = row.findIndex((cell) => !isNumeric(cell))
    if (bad >= 0) throw new UsageError(`--data ${path}: row ${i + 1 + (header ? 1 : 0)}, column ${bad + 1} is ${JSON.stringify(row[bad])}, not a number`)
    const numbers = row.map(Number)
    y.push(numbers.pop()!)
    x.push(numbers)
  }
  return { x, y }
}

function isNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value)
}

function isNumeric(cell: string): boolean {
  return cell !== '' && Number.isFinite(Number(cell))
}
