import 'trainability/vitest'
