import { writeFileSync } from 'node:fs'
import type { Reporter, TestModule } from 'vitest/node'

// vitest's JSON reporter leaves annotations out; this one writes each test's state and annotations to
// $CURVES_OUT/annotations.json (with the meta `trainability/reporter` reads), as vitest's own reporters (default, junit, html, ui) receive them.
export default class AnnotationsReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const tests = modules.flatMap((m) => [...m.children.allTests()]).map((t) => ({ name: t.name, state: t.result().state, annotations: t.annotations(), meta: t.meta() }))
    writeFileSync(`${process.env.CURVES_OUT}/annotations.json`, JSON.stringify(tests))
  }
}
