import { describe, typeError } from '../errors.js'
import type { Dataset } from '../types.js'
import type { TrainValidation } from './define.js'

/** `(dataset?, options?)`, also accepting options alone: `toOverfitTinyDataset({ seed: 7 })`. */
export function datasetAndOptions<O>(dataset: Dataset | O | undefined, options: O | undefined): [Dataset | undefined, O] {
  const looksLikeData = typeof dataset === 'object' && dataset !== null && ('x' in dataset || 'y' in dataset)
  if (dataset !== undefined && !looksLikeData && options === undefined) return [undefined, dataset as O]
  return [dataset as Dataset | undefined, (options ?? {}) as O]
}

/**
 * The outer shape of `{ train, validation }`, before any model is built; each dataset is validated in full where it is
 * read. `single`: a lone `{ x, y }` is accepted too (diagnose).
 */
export function trainValidation(data: unknown, who: string, single = false): TrainValidation {
  const d = data as Partial<TrainValidation> | null
  const isObject = (v: unknown): boolean => typeof v === 'object' && v !== null
  if (!isObject(d) || !isObject(d!.train) || !isObject(d!.validation)) {
    throw typeError(`${who} needs { train, validation }, two datasets { x, y }${single ? ', or a single { x, y }' : ''}; received ${describe(data)}`)
  }
  return d as TrainValidation
}

export function percent(share: number | undefined): string {
  return share === undefined || Number.isNaN(share) ? 'n/a' : `${Math.round(share * 1000) / 10}%`
}
