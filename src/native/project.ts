import { existsSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'

/** The command that installs tfjs-node without its install script (whose download host CI machines often cannot reach). */
export const INSTALL_TFJS_NODE = 'npm i -D @tensorflow/tfjs-node --ignore-scripts'

/** No project with @tensorflow/tfjs-node installed at or above the directory: the message says what to run. */
export class NoTfjsNode extends Error {
  override name = 'NoTfjsNode'
}

export interface NativeProject {
  /** The directory of the package.json whose node_modules holds @tensorflow/tfjs-node. */
  root: string
  /** The installed @tensorflow/tfjs-node package. */
  tfjsNode: string
}

/**
 * The user's project: from `cwd` upward, the nearest directory with a package.json and @tensorflow/tfjs-node in its
 * node_modules (a workspace package finds the root's hoisted copy). Throws NoTfjsNode naming the install command.
 *
 * @example
 * const { root, tfjsNode } = findNativeProject(process.cwd())
 */
export function findNativeProject(cwd: string): NativeProject {
  let nearest: string | undefined
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) {
      nearest ??= dir
      const tfjsNode = join(dir, 'node_modules', '@tensorflow', 'tfjs-node')
      if (existsSync(join(tfjsNode, 'package.json'))) return { root: dir, tfjsNode }
    }
    if (dirname(dir) === dir) break
  }
  if (nearest === undefined) {
    throw new NoTfjsNode(`no package.json in ${resolve(cwd)} or above: run \`npx trainability native\` in your project`)
  }
  throw new NoTfjsNode(`@tensorflow/tfjs-node is not installed in ${nearest}: run \`${INSTALL_TFJS_NODE}\`, then \`npx trainability native\``)
}
