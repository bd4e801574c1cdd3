// ESLint flat config with typescript-eslint (type-aware for the TypeScript sources).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import noFolderCycles from './eslint-rules/no-folder-cycles.mjs';

const vscodeFence = {
  'no-restricted-imports': [
    'error',
    {
      paths: [{ name: 'vscode', message: 'src/core and webview never import vscode: keep them testable in plain Node / the browser.', allowTypeImports: true }],
    },
  ],
};

/** The feature folders of the VS Code glue (src/<feature>/). */
const GLUE_FEATURES = ['brokers', 'mqtt', 'amqp', 'messageFiles', 'conf', 'panels', 'cli'];

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
  // No import cycle between folders (src/core/<room>, src/<feature>, webview/<room>).
  { files: ['src/**/*.ts', 'webview/**/*.ts'], plugins: { local: { rules: { 'no-folder-cycles': noFolderCycles } } }, rules: { 'local/no-folder-cycles': 'error' } },
  // Each webview imports its own folder, webview/shared and src/core (its protocol, DOM-free
  // modules): never the extension's glue, never the other webview.
  ...['publish', 'inspect', 'shared'].map((room) => ({
    files: [`webview/${room}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: vscodeFence['no-restricted-imports'][1].paths,
          patterns: [
            {
              group: ['../../src/*', '!../../src/core', ...['publish', 'inspect'].filter((r) => r !== room).map((r) => `../${r}/*`)],
              message: `webview/${room} imports its own folder, webview/shared and src/core only (the webviews run in the browser, apart from the extension's glue and from each other).`,
            },
          ],
        },
      ],
    },
  })),
  // src/core is the plain-Node layer: no vscode, and no import of the glue above it or of the
  // webviews. Specifiers are matched as written, so each folder depth gets its own patterns: from
  // src/core/<room>/x.ts '../../' is src/, from src/core/<room>/<part>/x.ts it is '../../../'.
  ...[2, 3].map((depth) => {
    const up = '../'.repeat(depth);
    return {
      files: [`src/core/${'*/'.repeat(depth - 1)}*.ts`],
      rules: {
        'no-restricted-imports': [
          'error',
          {
            paths: vscodeFence['no-restricted-imports'][1].paths,
            patterns: [
              {
                group: [`${up}*`, `!${up}core`, `${up}../*`],
                message: 'src/core never imports the VS Code glue (src/*) or the webviews: pass a small interface in instead.',
              },
            ],
          },
        ],
      },
    };
  }),
  // The payload codecs' libraries load lazily, each in its own bundle (esbuild.mjs, lazy-codecs):
  // only src/core/codecs/impl/ imports them; everything else goes through the codec registry.
  {
    files: ['src/**/*.ts', 'webview/**/*.ts'],
    ignores: ['src/core/codecs/impl/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { paths: ['protobufjs', 'long', 'avsc', '@msgpack/msgpack', 'cbor2'].map((name) => ({ name, allowTypeImports: true, message: 'Codec libraries load lazily: import them only in src/core/codecs/impl/ and reach them through src/core/codecs/registry.ts.' })) }],
    },
  },
  // The glue is by feature: a feature's folder imports src/core and src/shared, never a sibling
  // feature's folder (pass a small interface in, as PanelOpener does); src/shared imports no
  // feature. Only src/extension.ts wires the features together.
  ...GLUE_FEATURES.map((feature) => ({
    files: [`src/${feature}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: GLUE_FEATURES.filter((f) => f !== feature).map((f) => `../${f}/*`),
              message: `src/${feature} never imports another feature's glue: move what both need to src/core or src/shared, or pass an interface in from src/extension.ts.`,
            },
          ],
        },
      ],
    },
  })),
  {
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [{ group: GLUE_FEATURES.map((f) => `../${f}/*`), message: 'src/shared holds feature-agnostic helpers: it imports no feature.' }],
        },
      ],
    },
  },
  // Input boxes and quick picks go through src/shared/prompts.ts, which makes their texts inert.
  {
    files: ['src/**/*.ts'],
    ignores: ['src/shared/prompts.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.object.name='vscode'][object.property.name='window'][property.name=/^show(InputBox|QuickPick)$/]",
          message: 'Use inputBox() / quickPick() of src/shared/prompts.ts: prompts carry names from files and brokers, and VS Code renders links and icons in them.',
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
