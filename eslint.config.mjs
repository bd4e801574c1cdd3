// ESLint flat config with typescript-eslint (type-aware for the TypeScript sources).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const vscodeFence = {
  'no-restricted-imports': [
    'error',
    {
      paths: [{ name: 'vscode', message: 'src/core and webview never import vscode: keep them testable in plain Node / the browser.', allowTypeImports: true }],
    },
  ],
};

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.vscode-test/**', '.harness/**', '**/*.d.ts'] },
  js.configs.recommended,
  {
    files: ['**/*.ts'],
    extends: [...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-empty-function': 'off',
      eqeqeq: ['error', 'always'],
      curly: 'error',
    },
  },
  { files: ['webview/**/*.ts'], rules: vscodeFence },
  // src/core is the plain-Node layer: no vscode, and no import of the glue above it or of the webviews.
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: vscodeFence['no-restricted-imports'][1].paths,
          patterns: [
            {
              // From src/core/<room>/x.ts, '../../' is src/: only src/core may be reached that way.
              group: ['../../*', '!../../core', '../../../*'],
              message: 'src/core never imports the VS Code glue (src/*) or the webviews: pass a small interface in instead.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unused-expressions': 'off',
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: { ...globals.node }, sourceType: 'module' },
  },
);
