import { afterEach, describe, expect, it, vi } from 'vitest'
import { typeError } from '../src/errors.js'

// The checklist is replaced by one line whose check throws what the test says, so main's mapping is seen alone.
const thrown = vi.hoisted(() => ({ error: undefined as unknown }))
vi.mock('../src/cli/checklist.js', () => ({
  CHECKLIST: [{ name: 'throws', matcher: 'toThrow', run: () => Promise.reject(thrown.error) }],
}))
const { main } = await import('../src/cli/main.js')

const fixed = ['doctor', '--model', 'examples/models/fixed/model.json', '--data', 'examples/models/data.csv']

async function run(error: unknown): Promise<{ code: number; stderr: string }> {
  thrown.error = error
  const lines: string[] = []
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => (lines.push(String(chunk)), true))
  const code = await main(fixed)
  return { code, stderr: lines.join('') }
}

describe('trainability doctor: exit codes of errors', () => {
  afterEach(() => vi.restoreAllMocks())

  it("maps the library's input errors to exit 2, one line, no stack", async () => {
    const { code, stderr } = await run(typeError('options.window must be a positive integer, received 0'))
    expect(code).toBe(2)
    expect(stderr).toBe('trainability: options.window must be a positive integer, received 0\n')
  })

  it('maps any other error (a bug of ours, even a TypeError) to exit 3 with its stack, as an internal error', async () => {
    const { code, stderr } = await run(new TypeError("Cannot read properties of undefined (reading 'shape')"))
    expect(code).toBe(3)
    expect(stderr).toMatch(/^trainability: internal error, please report it with the command that ran:\nTypeError: Cannot read properties of undefined \(reading 'shape'\)\n\s+at /)
  })
})
