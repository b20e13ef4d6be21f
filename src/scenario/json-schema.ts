/**
 * The JSON Schema (draft 2020-12) of scenario files, generated from src/scenario/shape.ts, the
 * field lists the loader accepts. Editors use it to complete and check scenarios (VS Code YAML:
 * `# yaml-language-server: $schema=...`); the loader's own checks go further (references between
 * sections, step order, ...), so a file the schema accepts may still be refused, never the reverse.
 */
import { ROOT, ROOT_REQUIRED, type Fields, type Shape } from './shape.js';

type Json = { [key: string]: unknown };

/** `250us`, `1.5ms`, `2s`, `1min`, `1h` (src/scenario/duration.ts), or 0. */
const DURATION: Json = { anyOf: [{ type: 'string', pattern: '^\\d+(?:\\.\\d+)?\\s*(?:us|µs|ms|s|min|h)$' }, { const: 0 }, { const: '0' }] };
const PROBABILITY: Json = { anyOf: [{ type: 'number', minimum: 0, maximum: 1 }, { type: 'string', pattern: '^\\d+(?:\\.\\d+)?\\s*%$' }] };

function described(schema: Json, description: string | undefined): Json {
  return description === undefined ? schema : { ...schema, description };
}

function objectSchema(fields: Fields, required: readonly string[] = []): Json {
  return {
    type: 'object',
    properties: Object.fromEntries(Object.entries(fields).map(([name, shape]) => [name, toSchema(shape)])),
    ...(required.length > 0 && { required: [...required] }),
    additionalProperties: false,
  };
}

export function toSchema(shape: Shape): Json {
  switch (shape.kind) {
    case 'string':
      return described({ type: 'string', ...(shape.enum && { enum: [...shape.enum] }), ...(shape.pattern !== undefined && { pattern: shape.pattern }) }, shape.description);
    case 'text':
      return described(shape.nonEmpty === true ? { anyOf: [{ type: 'string', pattern: '\\S' }, { type: ['number', 'boolean'] }] } : { type: ['string', 'number', 'boolean'] }, shape.description);
    case 'integer':
      return described({ type: 'integer', ...(shape.minimum !== undefined && { minimum: shape.minimum }), ...(shape.maximum !== undefined && { maximum: shape.maximum }) }, shape.description);
    case 'boolean':
      return described({ type: 'boolean' }, shape.description);
    case 'duration':
      return described(DURATION, shape.description ?? 'a duration: 250us, 1.5ms, 2s, 1min, 1h');
    case 'probability':
      return described(PROBABILITY, shape.description);
    case 'object': {
      const schema = {
        ...objectSchema(shape.fields, shape.required),
        ...(shape.minFields !== undefined && { minProperties: shape.minFields }),
        ...(shape.maxFields !== undefined && { maxProperties: shape.maxFields }),
        ...(shape.forms && { oneOf: shape.forms.map((form) => ({ required: [...form.required], properties: Object.fromEntries(form.forbidden.map((name) => [name, false])) })) }),
      };
      return described(shape.nullable === true ? { anyOf: [{ type: 'null' }, schema] } : schema, shape.description);
    }
    case 'map':
      return described({ type: 'object', additionalProperties: toSchema(shape.values) }, shape.description);
    case 'list':
      return described({ type: 'array', items: toSchema(shape.items), ...(shape.minItems !== undefined && { minItems: shape.minItems }) }, shape.description);
    case 'one-or-many': {
      const item = toSchema(shape.item);
      return described({ anyOf: [item, { type: 'array', items: item }] }, shape.description);
    }
    case 'any-of':
      return described({ anyOf: shape.options.map(toSchema) }, shape.description);
  }
}

export function scenarioSchema(): Json {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'cpmsim scenario',
    description: 'A cpmsim scenario file (docs/scenarios.md): a network, the figure lifelines, a timeline of user actions and the expected steps.',
    ...objectSchema(ROOT, ROOT_REQUIRED),
    // The loader's rule across fields: without monitors, a scenario must expect a step, or it
    // would pass whatever happens.
    if: { not: { required: ['monitors'] } },
    then: { properties: { expect: { type: 'object', properties: { steps: { type: 'array', minItems: 1 } } } } },
  };
}

/** The schema file as shipped: schema/scenario.schema.json. */
export function scenarioSchemaText(): string {
  return `${JSON.stringify(scenarioSchema(), null, 2)}\n`;
}
