import type { Case } from '../case.js'
import { convCases } from './conv.js'
import { customCases } from './custom.js'
import { denseCases } from './dense.js'
import { recurrentCases } from './recurrent.js'

/** Every case of the corpus, broken and healthy. */
export const cases: Case[] = [...denseCases, ...convCases, ...recurrentCases, ...customCases]
