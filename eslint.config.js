// Flat config: ESLint's and typescript-eslint's recommended rules, without type information
// (type-aware linting would double the time of `tsc --noEmit`, which CI runs anyway).
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

export default defineConfig(
  {
    ignores: ['node_modules/', '.data/', 'coverage/', '.tap/', 'tmp/', '**/*.d.ts'],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: 'module',
      globals: {
        // Node globals used by plain .js/.mjs scripts (TypeScript files get them from @types/node).
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        setImmediate: 'readonly',
      },
    },
    rules: {
      // `_`-prefixed names are deliberately unused (callback signatures, destructuring to omit).
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          args: 'after-used',
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
        },
      ],
      // `ok() || fail()` as a statement is a readable guard; bare expressions stay errors.
      '@typescript-eslint/no-unused-expressions': ['error', { allowShortCircuit: true, allowTernary: true }],
      // Empty catch blocks that carry a comment saying why are fine.
      'no-empty': ['error', { allowEmptyCatch: true }],
    },
  },
  {
    // The desk's pages are browser ES modules.
    files: ['agent-desk/public/**/*.js', 'pbx-sim/public/**/*.js'],
    languageOptions: {
      globals: {
        document: 'readonly', window: 'readonly', fetch: 'readonly', WebSocket: 'readonly', location: 'readonly',
        URLSearchParams: 'readonly', FormData: 'readonly', Option: 'readonly', Audio: 'readonly', HTMLElement: 'readonly',
      },
    },
  },
  {
    // Tests poke at JSON bodies and event payloads of many shapes; typing each one would not catch more bugs.
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
