import { Ajv, type Options } from 'ajv';
import addFormatsImport from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';

// ajv-formats is CommonJS; its default export arrives wrapped under NodeNext.
const addFormats = addFormatsImport as unknown as (ajv: Ajv) => Ajv;

const common: Options = {
  allErrors: true,
  removeAdditional: false, // unknown fields are an error, not silently dropped
  useDefaults: true,
  strict: false,
  keywords: ['kind', 'modifier'], // TypeBox annotations
};

/** Bodies are strict JSON: `"5"` is not a number. */
const bodyAjv = addFormats(new Ajv({ ...common, coerceTypes: false }));
/** Query strings, params and headers are text by nature, so they are coerced. */
const textAjv = addFormats(new Ajv({ ...common, coerceTypes: 'array' }));

export const validatorCompiler: FastifySchemaCompiler<unknown> = ({ schema, httpPart }) => {
  const ajv = httpPart === 'body' ? bodyAjv : textAjv;
  return ajv.compile(schema as object) as ReturnType<FastifySchemaCompiler<unknown>>;
};
