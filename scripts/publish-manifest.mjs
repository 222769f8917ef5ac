#!/usr/bin/env node
// The published package.json carries only what a consumer's install reads. Fields that serve this repository
// stay out of the tarball:
//   - scripts: `prepare` provisions the native backend for the repository itself; npm lists a `prepare` of a
//     tarball or git dependency under "install scripts not yet covered by allowScripts", and the rest only
//     make sense in a checkout;
//   - devEngines (npm >= 11.16, for allowScripts) and allowScripts: the repository's own install policy.
// `strip` (prepack) saves package.json and writes the published manifest; `restore` (postpack, or postpublish
// under `npm publish`, which re-reads package.json after packing to send it to the registry) puts it back.
// A strip after an interrupted pack restores the saved copy first, so the saved copy is never lost.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

const root = join(import.meta.dirname, '..')
const manifest = join(root, 'package.json')
const saved = join(root, 'package.json.dev')
const REPOSITORY_ONLY = ['scripts', 'devEngines', 'allowScripts']

const command = process.argv[2]
if (command === 'strip') {
  if (existsSync(saved)) renameSync(saved, manifest)
  const text = readFileSync(manifest, 'utf8')
  const pkg = JSON.parse(text)
  writeFileSync(saved, text)
  for (const field of REPOSITORY_ONLY) delete pkg[field]
  writeFileSync(manifest, `${JSON.stringify(pkg, null, 2)}\n`)
} else if (command === 'restore') {
  // `npm publish` packs first (postpack) and sends package.json afterwards: restore after publishing.
  if (process.env.npm_lifecycle_event === 'postpack' && process.env.npm_command === 'publish') process.exit(0)
  if (existsSync(saved)) renameSync(saved, manifest)
} else {
  console.error('usage: node scripts/publish-manifest.mjs strip|restore')
  process.exit(2)
}
