import { defineConfig } from 'vitest/config';

// Five suites, as in node-llama-cpp's standalone/modelDependent split: unit tests need nothing (no
// Temporal server, no PostgreSQL, no `pandasweep run`; child processes such as the toy trainer or
// `pandasweep validate` are fine), integration tests need the Temporal dev server and PostgreSQL
// (.ci/run starts both; bad-input cases through them are in test/integration/bad-input/), judge tests
// load a GGUF model and run one file at a time so the 2-core machine is not oversubscribed; fault tests
// kill and restart the real services under running sweeps; real-model tests fine-tune, generate and
// judge with SmolLM2-135M-Instruct (scripts/setup.sh fetches it and the jobs' Python environment).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'integration',
          globalSetup: ['test/support/global-setup.ts'],
          include: ['test/integration/**/*.test.ts'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
          pool: 'forks',
          fileParallelism: false,
        },
      },
      {
        test: {
          // Fault injection (issue 7): kills and restarts real workers, PostgreSQL and Temporal under
          // running sweeps, so one file at a time and minutes per case (recovery waits on heartbeat timeouts).
          name: 'faults',
          globalSetup: ['test/support/global-setup.ts', 'test/support/faults/global-setup.ts'],
          include: ['test/faults/**/*.test.ts'],
          // After the other suites, not beside them: their sweeps would compete for the two cores.
          sequence: { groupOrder: 1 },
          testTimeout: 420_000,
          hookTimeout: 180_000,
          pool: 'forks',
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'real-model',
          globalSetup: ['test/support/global-setup.ts'],
          include: ['test/real-model/**/*.test.ts'],
          // Last, alone: training a real model wants both cores.
          sequence: { groupOrder: 2 },
          testTimeout: 600_000,
          hookTimeout: 600_000,
          pool: 'forks',
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'judge',
          globalSetup: ['test/support/global-setup.ts'],
          include: ['test/judge/**/*.test.ts'],
          testTimeout: 300_000,
          hookTimeout: 300_000,
          pool: 'forks',
          fileParallelism: false,
        },
      },
    ],
  },
});
