import { writeFileSync } from 'node:fs'
import type { Reporter, TestModule } from 'vitest/node'

// vitest's JSON reporter leaves annotations out; this one writes each test's state and annotations to
// TRAINABILITY_ANNOTATIONS_OUT, as vitest's own reporters (default, junit, html, ui) receive them.
export default class AnnotationsReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const tests = modules.flatMap((m) => [...m.children.allTests()]).map((t) => ({ name: t.name, state: t.result().state, annotations: t.annotations() }))
    writeFileSync(process.env.TRAINABILITY_ANNOTATIONS_OUT!, JSON.stringify(tests))
  }
}
