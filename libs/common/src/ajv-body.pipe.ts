import { Injectable, type PipeTransform } from '@nestjs/common';
import Ajv, { type ErrorObject, type JSONSchemaType, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { ErrorReason, PLAIN_BLOCK_FORMAT, PLAIN_LINE_FORMAT, TEXT_BLOCK_FORMAT, TEXT_LINE_FORMAT } from '@tsunagu/contracts';
import { DomainException } from './domain.exception';
import { isCleanText, isNonBlank } from './input-text';

const ajv = new Ajv({ allErrors: true, strict: true, removeAdditional: false });
addFormats(ajv);
/** A required one-line text (a name, a title): not blank, no control characters, well-formed. */
ajv.addFormat(TEXT_LINE_FORMAT, { type: 'string', validate: (value: string) => isNonBlank(value) && isCleanText(value) });
/** A required multi-line text (a text area): not blank; line breaks and tabs allowed, no other control characters. */
ajv.addFormat(TEXT_BLOCK_FORMAT, { type: 'string', validate: (value: string) => isNonBlank(value) && isCleanText(value, true) });
/** Plain words shown to residents: no markup at all (HTML is refused, not escaped). */
const noMarkup = (value: string) => !/[<>]/.test(value);
ajv.addFormat(PLAIN_LINE_FORMAT, { type: 'string', validate: (value: string) => isNonBlank(value) && isCleanText(value) && noMarkup(value) });
ajv.addFormat(PLAIN_BLOCK_FORMAT, { type: 'string', validate: (value: string) => isNonBlank(value) && isCleanText(value, true) && noMarkup(value) });
const compiled = new WeakMap<object, ValidateFunction>();

function describe(errors: ErrorObject[]): { field: string; problem: string }[] {
  return errors.map((e) => {
    const missing = (e.params as { missingProperty?: string }).missingProperty;
    const extra = (e.params as { additionalProperty?: string }).additionalProperty;
    const base = e.instancePath.replace(/^\//, '').replace(/\//g, '.');
    const field = [base, missing ?? extra].filter(Boolean).join('.') || '(body)';
    const markup = e.keyword === 'format' && ((e.params as { format?: string }).format === PLAIN_LINE_FORMAT || (e.params as { format?: string }).format === PLAIN_BLOCK_FORMAT);
    return { field, problem: extra ? 'unknown field' : markup ? 'must be plain text, not blank, without < or > (no HTML)' : e.message ?? 'invalid' };
  });
}

/** The compiled validator of a schema, on the one ajv set-up every body check shares (compiled once). */
export function schemaValidator(schema: object): ValidateFunction {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  return validate;
}

/** Validates a value against a JSON Schema, throwing a typed `invalid_request` error listing every problem. */
export function assertValid<T>(schema: JSONSchemaType<T> | object, value: unknown): T {
  const validate = schemaValidator(schema);
  if (!validate(value)) {
    throw new DomainException('invalid_request', ErrorReason.BadRequest,
      { ja: 'リクエストの内容が正しくありません。', en: 'The request body is not valid.' }, describe(validate.errors ?? []));
  }
  return value as T;
}

/** Nest pipe: `@Body(new AjvBodyPipe(schema))`. Unknown fields are rejected, not ignored. */
@Injectable()
export class AjvBodyPipe<T> implements PipeTransform<unknown, T> {
  constructor(private readonly schema: JSONSchemaType<T> | object) {}
  transform(value: unknown): T {
    return assertValid<T>(this.schema, value ?? {});
  }
}
