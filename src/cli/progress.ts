/** Progress on stderr: a live line with a timer on a terminal, one plain line per check otherwise. */
export interface Progress {
  start(index: number, total: number, name: string): void
  done(pass: boolean): void
}

export function progress(stream: NodeJS.WriteStream = process.stderr): Progress {
  let label = ''
  let started = 0
  let timer: NodeJS.Timeout | undefined
  const seconds = (): string => `${((performance.now() - started) / 1000).toFixed(1)} s`
  return {
    start(index, total, name) {
      label = `[${index + 1}/${total}] ${name}`
      started = performance.now()
      if (!stream.isTTY) return
      const draw = (): void => void stream.write(`\r\x1b[2K${label}  training… ${seconds()}`)
      draw()
      timer = setInterval(draw, 200)
    },
    done(pass) {
      if (timer) clearInterval(timer)
      timer = undefined
      stream.write(`${stream.isTTY ? '\r\x1b[2K' : ''}${label}  ${pass ? 'pass' : 'FAIL'}  ${seconds()}\n`)
    },
  }
}
