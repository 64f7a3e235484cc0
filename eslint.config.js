import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      'web/dist/',
      '.dyocense/',
      'coverage/',
      'bench/out/',
      'scratch/',
    ],
  },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    // The React dashboard: the Rules of React (hooks, effects, refs).
    files: ['web/src/**/*.{ts,tsx}'],
    ...reactHooks.configs.flat.recommended,
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // Engines are pure: no imports from modules or platform, no I/O.
    files: ['src/engines/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/modules/**', '**/platform/**'],
              message: 'engines import nothing from modules or platform',
            },
            {
              group: [
                'pg',
                'pg-boss',
                'fastify',
                'node:fs',
                'node:http',
                'node:net',
                '@electric-sql/*',
                '@unni-craftsman/*',
              ],
              message: 'engines are pure computation: no I/O',
            },
          ],
        },
      ],
    },
  },
);
