import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  buildSchema,
  getNamedType,
  isObjectType,
  Kind,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import * as generated from '../gql/graphql';
import { EMBEDDED_TYPES } from './cache';

const schema = buildSchema(readFileSync(resolve(__dirname, '../../../schema.graphql'), 'utf8'));

function isDocument(value: unknown): value is DocumentNode {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === Kind.DOCUMENT;
}

/** Object types the app's documents select, by name. */
function selectedObjectTypes(): Set<string> {
  const seen = new Set<string>();
  const typeInfo = new TypeInfo(schema);
  for (const doc of Object.values(generated).filter(isDocument)) {
    visit(
      doc,
      visitWithTypeInfo(typeInfo, {
        Field() {
          const t = typeInfo.getType();
          const named = t ? getNamedType(t) : null;
          if (named && isObjectType(named)) seen.add(named.name);
        },
      }),
    );
  }
  return seen;
}

describe('graphcache keys', () => {
  it('knows every id-less type the app selects, so they are embedded rather than lost', () => {
    const missing = [...selectedObjectTypes()]
      .filter((name) => {
        const t = schema.getType(name);
        return isObjectType(t) && !('id' in t.getFields());
      })
      .filter((name) => !(EMBEDDED_TYPES as readonly string[]).includes(name));
    expect(missing).toEqual([]);
  });

  it('embeds only types that have no id (an id means the type should be normalised)', () => {
    const withId = EMBEDDED_TYPES.filter((name) => {
      const t = schema.getType(name);
      return isObjectType(t) && 'id' in t.getFields();
    });
    expect(withId).toEqual([]);
  });

  it('reads the app documents (sanity check of the test itself)', () => {
    const types = selectedObjectTypes();
    expect(types.has('Release')).toBe(true);
    expect(types.has('ConfigChange')).toBe(true);
  });
});
