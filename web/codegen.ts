import type { CodegenConfig } from '@graphql-codegen/cli';

// Typed documents from the server's SDL. Output goes to src/gql/ (generated, git-ignored).
const config: CodegenConfig = {
  schema: '../schema.graphql',
  documents: ['src/**/*.{ts,tsx}', '!src/gql/**/*'],
  ignoreNoDocuments: true,
  silent: true,
  generates: {
    './src/gql/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        strictScalars: true,
        scalars: { Date: 'string', DateTime: 'string', JSON: 'unknown' },
        avoidOptionals: false,
      },
    },
  },
};

export default config;
