import { appendFileSync } from 'node:fs'
import { join } from 'node:path'
import { threadId } from 'node:worker_threads'
import { reportEntry, type ReportEntry } from '../src/report/entry.js'
import type { MatcherContext, ResultHook } from './adapter.js'

/**
 * Set by the reporter in the runner's main process, before it starts test workers, which inherit it: a worker records
 * each trainability assertion only while a report will be written. vitest workers put entries on the test's meta; jest
 * workers, which have no such channel, append them to line files in the directory this names.
 */
export const REPORT_ENV = 'TRAINABILITY_REPORT_CHANNEL'
/** The value under vitest, whose entries travel as task meta, not files. */
export const VITEST_CHANNEL = 'vitest-task-meta'

/** A jest worker's line: the entry and the test it belongs to. */
export interface JestLine {
  testPath: string
  currentTestName: string
  entry: ReportEntry
}

/** In a jest worker, when a report is being written: appends the assertion to this worker's line file. */
export const recordForJest: ResultHook = async (context, name, result, failed) => {
  const dir = process.env[REPORT_ENV]
  const { testPath, currentTestName } = context as MatcherContext & { testPath?: string; currentTestName?: string }
  if (!dir || dir === VITEST_CHANNEL || !testPath) return
  const line: JestLine = { testPath, currentTestName: currentTestName ?? '', entry: reportEntry(name, result, failed, Boolean(context.isNot)) }
  appendFileSync(join(dir, `${process.pid}-${threadId}.jsonl`), `${JSON.stringify(line)}\n`)
}
