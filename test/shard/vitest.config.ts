// The sharding suite as a user's vitest project: the repository's aliases and setup, only test/shard/vitest.
import { defineConfig } from 'vitest/config'
import base from '../../vitest.config.js'

export default defineConfig({ ...base, test: { ...base.test, include: ['test/shard/suite/*.shard.ts'], exclude: [] } })
