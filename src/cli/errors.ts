/** A problem with the command line or its files: printed as one line on stderr, exit code 2, no stack trace. */
export class UsageError extends Error {
  override name = 'UsageError'
}
