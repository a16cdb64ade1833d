import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'server/**/*.test.ts', 'scripts/**/*.test.ts'],
    environment: 'node',
    reporters: process.env.XENSCOPE_RESULTS
      ? ['default', ['json', { outputFile: process.env.XENSCOPE_RESULTS }]]
      : ['default'],
  },
});
