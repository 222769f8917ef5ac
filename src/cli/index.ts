// The `trainability` executable (dist/cli.js): run the doctor and exit with its code.
import { main } from './main.js'

process.exitCode = await main(process.argv.slice(2))
