// A user's vitest project with one failing and two passing trainability assertions: the repository's aliases and setup.
import { defineConfig } from 'vitest/config'
import base from '../../vitest.config.js'

export default defineConfig({ ...base, test: { ...base.test, include: ['test/curves/suite/*.curves.ts'], exclude: [] } })
