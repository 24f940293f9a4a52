import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'generated/', '.pandasweep/', 'bench/results/', '.venv/', 'models/'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    // Workflow code runs in Temporal's deterministic sandbox and pure logic is shared with it:
    // neither may reach Node built-ins, side-effect modules, the clock or global randomness.
    files: ['workflows/**/*.ts', 'core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*', 'fs', 'path', 'child_process', 'os', 'crypto'], message: 'No Node built-ins in deterministic code.' },
            { group: ['**/activities/*', '**/activities/**', '**/services/**', '**/judges/**', '**/cli/**'], allowTypeImports: true, message: 'Import side-effect modules as types only.' },
            { group: ['@prisma/*', 'execa', 'node-llama-cpp', '@temporalio/client', '@temporalio/worker', '@temporalio/activity'], allowTypeImports: true, message: 'Side-effect libraries stay out of deterministic code.' },
          ],
        },
      ],
      'no-restricted-globals': ['error', { name: 'process', message: 'No process access in deterministic code.' }],
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'Take a seed instead.' },
        { object: 'Date', property: 'now', message: 'Take `now` as an argument instead.' },
      ],
      'no-console': 'error',
    },
  },
  {
    // Activities are effects the workflows call; what both need (ids, shapes, pure rules) lives in core/.
    files: ['activities/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/workflows/**', '**/workflows/*'], message: 'Activities do not import workflow code; move what both need to core/.' }] }],
    },
  },
);
