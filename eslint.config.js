// One lint setup for every TypeScript package; type-checking itself is `tsc -b`.
import js from '@eslint/js'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/.tap/**', 'odoo-addon/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      'no-console': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/bench/**', '**/src/cli.ts', '**/src/start.ts', '**/src/demo.ts'],
    rules: { 'no-console': 'off' },
  },
)
