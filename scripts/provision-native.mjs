#!/usr/bin/env node
// This repository's `prepare`: provisions the native backend of its own @tensorflow/tfjs-node with the code that
// `npx trainability native` runs for users (src/native/provision.ts, see there). `prepare` runs before dist/ is
// built on a fresh clone, so the TypeScript source is loaded through tsx (a devDependency).
// Prints exactly one line. Never exits non-zero unless TRAINABILITY_REQUIRE_NATIVE=1. Flags: --force (ignore both
// caches). The project's package.json must keep tfjs-node's own install script from running (allowScripts).
import { resolve, sep } from 'node:path'

const started = Date.now()
const project = process.cwd()
const seconds = () => `${((Date.now() - started) / 1000).toFixed(1)} s`

// Nothing to do (silently) when run as a lifecycle script of trainability installed as someone's dependency, or as
// `prepare` of `npm pack` / `npm publish`.
const skip = (process.env.npm_lifecycle_event && process.env.INIT_CWD &&
  resolve(process.env.INIT_CWD) !== project && project.includes(`${sep}node_modules${sep}`)) ||
  ['pack', 'publish'].includes(process.env.npm_command)

if (!skip) {
  try {
    const { tsImport } = await import('tsx/esm/api')
    const { findNativeProject, NoTfjsNode } = await tsImport('../src/native/project.ts', import.meta.url)
    const { describeProvisioned, NativeUnavailable, provisionNative } = await tsImport('../src/native/provision.ts', import.meta.url)
    try {
      const { tfjsNode } = findNativeProject(project)
      console.log(`trainability: native backend ready (${describeProvisioned(provisionNative({ tfjsNode, force: process.argv.includes('--force') }))})`)
    } catch (error) {
      if (!(error instanceof NativeUnavailable || error instanceof NoTfjsNode)) throw error
      unavailable(error.message)
    }
  } catch (error) {
    unavailable(`unexpected error: ${String(error?.message ?? error).split('\n')[0]}`)
  }
}

function unavailable(reason) {
  console.log(`trainability: native backend unavailable (${reason}); tests will use the CPU backend (${seconds()})`)
  process.exitCode = process.env.TRAINABILITY_REQUIRE_NATIVE === '1' ? 1 : 0
}
