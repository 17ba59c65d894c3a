// Lint, and the layering rule of DESIGN §2 as import restrictions.
import tseslint from 'typescript-eslint';

const layer = (files, patterns, paths = []) => ({
  files,
  rules: { 'no-restricted-imports': ['error', { paths, patterns }] },
});

const electronOnly = { name: 'electron', message: 'Only main/electron/ (and the preload bridge) may import electron.' };
const sqlOnly = (name) => ({ name, message: 'Only repositories (main/store/, hq/store/) and migrations run SQL.' });
// The addon must load after its allocator settings (main/printing/skia.ts); types may come from the package itself.
const skiaOnly = {
  name: '@napi-rs/canvas',
  message: 'Import Skia from main/printing/skia.ts: it sets the allocator options the addon reads when it loads.',
  allowTypeImports: true,
};

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'out/**', 'coverage/**', 'renderer/dist/**', 'scratch/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  // core/: pure domain. zod and other core files only: no Node APIs, no I/O, no outer layers.
  layer(
    ['core/**/*.ts'],
    [
      { regex: '^(?!zod$|\\.{1,2}/)', message: 'core/ is pure: it may import zod and other core/ files only.' },
      {
        regex: '^(\\.\\./)+(main|preload|renderer|hq|migrations|tools|tests|bench)(/|$)',
        message: 'core/ may not import outer layers.',
      },
    ],
  ),
  // Tests of core/ may use the test runner.
  layer(
    ['core/**/*.test.ts'],
    [
      { regex: '^(?!zod$|vitest$|\\.{1,2}/)', message: 'core/ is pure: it may import zod and other core/ files only.' },
      {
        regex: '^(\\.\\./)+(main|preload|renderer|hq|migrations|tools|tests|bench)(/|$)',
        message: 'core/ may not import outer layers.',
      },
    ],
  ),
  // The station: electron only in main/electron/, SQL only in main/store/.
  layer(
    ['main/**/*.ts'],
    [
      {
        regex: '^(\\.\\./)+(renderer|hq|tools|tests|bench)(/|$)',
        message: 'main/ may import core/ and migrations/ only.',
      },
    ],
    [electronOnly, sqlOnly('kysely'), sqlOnly('better-sqlite3'), skiaOnly],
  ),
  layer(
    ['main/store/**/*.ts'],
    [
      {
        regex: '^(\\.\\./)+(renderer|hq|tools|tests|bench)(/|$)',
        message: 'main/ may import core/ and migrations/ only.',
      },
    ],
    [electronOnly],
  ),
  layer(
    ['main/electron/**/*.ts'],
    [
      {
        regex: '^(\\.\\./)+(renderer|hq|tools|tests|bench)(/|$)',
        message: 'main/ may import core/ and migrations/ only.',
      },
    ],
    [sqlOnly('kysely'), sqlOnly('better-sqlite3')],
  ),
  {
    ...layer(
      ['renderer/**/*.{ts,tsx}'],
      [
        { regex: '^node:', message: 'The renderer has no Node APIs.' },
        {
          regex: '^(\\.\\./)+(main|preload|hq|migrations|tools)(/|$)',
          message: 'The renderer talks to the station only through the core/ contract.',
        },
      ],
      [electronOnly, sqlOnly('kysely'), sqlOnly('better-sqlite3')],
    ),
    ignores: ['renderer/vite.config.ts'],
  },
  layer(
    ['hq/**/*.ts'],
    [
      {
        regex: '^(\\.\\./)+(main|preload|renderer|tools)(/|$)',
        message: 'hq/ may import core/ and its own store only.',
      },
    ],
    [electronOnly, sqlOnly('better-sqlite3')],
  ),
  layer(
    ['hq/store/**/*.ts'],
    [
      {
        regex: '^(\\.\\./)+(main|preload|renderer|tools)(/|$)',
        message: 'hq/ may import core/ and its own store only.',
      },
    ],
    [electronOnly],
  ),
  layer(
    ['migrations/**/*.ts'],
    [{ regex: '^(\\.\\./)+(main|preload|renderer|hq|tools)(/|$)', message: 'migrations/ import kysely only.' }],
    [electronOnly],
  ),
  layer(
    ['infra/**/*.ts'],
    [
      {
        regex: '^(\\.\\./)+(main|preload|renderer|hq|migrations|bench)(/|$)',
        message: 'infra/ may import core/ (and tools/ in its tests) only.',
      },
    ],
    [electronOnly],
  ),
  layer(['tools/**/*.ts', 'tests/**/*.ts', 'bench/**/*.ts'], [], [electronOnly, skiaOnly]),
);
