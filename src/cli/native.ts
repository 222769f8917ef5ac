/**
 * Loads `@tensorflow/tfjs-node` with a real ESM import before the library looks for it: in a bundled
 * ESM file the library's `require` probe hits esbuild's throwing shim, so native would never load.
 * When it cannot load, the library's own fallback (and its one-line notice) takes over.
 */
export async function preloadNative(): Promise<void> {
  if (process.env.TRAINABILITY_BACKEND?.trim() === 'cpu') return
  process.env.TF_CPP_MIN_LOG_LEVEL ??= '2'
  try {
    await import('@tensorflow/tfjs-node')
  } catch {
    // pickBackend reports the reason
  }
}
