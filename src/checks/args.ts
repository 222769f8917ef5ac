import type { Dataset } from '../types.js'

/** `(dataset?, options?)`, also accepting options alone: `toOverfitTinyDataset({ seed: 7 })`. */
export function datasetAndOptions<O>(dataset: Dataset | O | undefined, options: O | undefined): [Dataset | undefined, O] {
  const looksLikeData = typeof dataset === 'object' && dataset !== null && ('x' in dataset || 'y' in dataset)
  if (dataset !== undefined && !looksLikeData && options === undefined) return [undefined, dataset as O]
  return [dataset as Dataset | undefined, (options ?? {}) as O]
}

export function percent(share: number | undefined): string {
  return share === undefined || Number.isNaN(share) ? 'n/a' : `${Math.round(share * 1000) / 10}%`
}
