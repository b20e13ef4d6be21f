import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { findScenarioFiles } from '../../src/scenario/discover.js';
import { scenarioSchema, scenarioSchemaText } from '../../src/scenario/json-schema.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const broken = join(root, 'test/fixtures/broken');
// strictRequired off: a step's forms name fields (from, at...) declared beside them, not in each form.
const validate = new Ajv2020({ strict: true, strictRequired: false, allowUnionTypes: true }).compile(scenarioSchema());

/** The broken scenarios whose mistake is one of shape (a field, a type, a closed list): a schema sees them. */
const SHAPE_MISTAKES = [
  'action-free-text', 'action-kind-not-text', 'action-misspelt-kind', 'action-one-letter', 'action-with-request', 'action-without-at',
  'empty-title', 'ignore-empty-pattern', 'ignore-unknown-field', 'missing-expect', 'missing-title', 'notify-unknown-value', 'of-not-a-sip-method',
  'request-lowercase', 'request-misspelt', 'request-not-a-method', 'response-and-request', 'response-bad-class', 'response-out-of-range',
  'seed-negative', 'step-body-not-media-type', 'steps-empty', 'step-neither-request-nor-response', 'text-on-message-step', 'timeline-time-without-unit',
  'timeline-two-actions', 'timeline-unknown-action', 'unknown-top-level-field',
];

describe('the scenario JSON Schema', () => {
  it('is shipped as generated from the loader\'s field lists (npm run schema rewrites it)', () => {
    expect(readFileSync(join(root, 'schema/scenario.schema.json'), 'utf8')).toBe(scenarioSchemaText());
  });

  it.each(findScenarioFiles([join(root, 'scenarios')]).map((f) => [f.slice(root.length)]))('accepts %s', (file) => {
    const ok = validate(parse(readFileSync(join(root, file), 'utf8')));
    expect(validate.errors ?? [], file).toEqual([]);
    expect(ok).toBe(true);
  });

  it.each(SHAPE_MISTAKES)('rejects the broken scenario %s', (name) => {
    expect(validate(parse(readFileSync(join(broken, `${name}.yaml`), 'utf8')))).toBe(false);
  });

  it('has every shape mistake in the corpus', () => {
    const corpus = readdirSync(broken).map((f) => f.replace(/\.yaml$/, ''));
    expect(SHAPE_MISTAKES.filter((name) => !corpus.includes(name))).toEqual([]);
  });
});

describe('the scenario readers', () => {
  it('take every mapping\'s fields from src/scenario/shape.ts, never from a list of their own', () => {
    const dir = join(root, 'src/scenario');
    const literal = readdirSync(dir).filter((f) => f.endsWith('.ts')).flatMap((f) => (/\.map\(\[/.test(readFileSync(join(dir, f), 'utf8')) ? [f] : []));
    expect(literal).toEqual([]);
  });
});
