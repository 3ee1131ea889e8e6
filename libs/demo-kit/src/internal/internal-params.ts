import { Injectable, type PipeTransform } from '@nestjs/common';
import Ajv, { type ErrorObject, type JSONSchemaType, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { DemoException } from '../demo.exception';

const ajv = new Ajv({ allErrors: true, strict: true });
addFormats(ajv, ['date']);

type Problem = { field: string; problem: string };

function describe(errors: ErrorObject[]): Problem[] {
  return errors.map((e) => {
    const missing = (e.params as { missingProperty?: string }).missingProperty;
    const extra = (e.params as { additionalProperty?: string }).additionalProperty;
    const field = [e.instancePath.replace(/^\//, '').replace(/\//g, '.'), missing ?? extra].filter(Boolean).join('.') || '(parameters)';
    return { field, problem: extra ? 'unknown parameter' : e.message ?? 'invalid' };
  });
}

function invalid(details: Problem[]): DemoException {
  return new DemoException('invalid_request', {
    ja: 'リクエストのパラメータが正しくありません。', en: 'The request parameters are not valid.',
  }, details);
}

/**
 * Nest pipe for the internal API: `@Param(new InternalParamsPipe(schema))`,
 * `@Query(new InternalParamsPipe(schema))`. Unknown parameters are refused, not ignored; every
 * problem is listed in a typed `invalid_request` (400).
 */
@Injectable()
export class InternalParamsPipe<T> implements PipeTransform<unknown, T> {
  private readonly validate: ValidateFunction<T>;

  constructor(schema: JSONSchemaType<T>) {
    this.validate = ajv.compile(schema);
  }

  transform(value: unknown): T {
    const params = { ...(value as object | undefined) };
    if (!this.validate(params)) throw invalid(describe(this.validate.errors ?? []));
    return params;
  }
}

/** A period of Japan calendar days, both ends included. */
export interface DayPeriod {
  /** YYYY-MM-DD */
  from: string;
  /** YYYY-MM-DD */
  to: string;
}

/** The longest period one internal call may ask for (the connectors' widest window is 366 days). */
export const MAX_PERIOD_DAYS = 366;

/** `?from=YYYY-MM-DD&to=YYYY-MM-DD`, real calendar dates. */
export const dayPeriodQuerySchema: JSONSchemaType<DayPeriod> = {
  type: 'object',
  properties: {
    from: { type: 'string', format: 'date', pattern: '^\\d{4}-\\d{2}-\\d{2}$' },
    to: { type: 'string', format: 'date', pattern: '^\\d{4}-\\d{2}-\\d{2}$' },
  },
  required: ['from', 'to'],
  additionalProperties: false,
};

/** Checks what a schema cannot: `from ≤ to`, at most MAX_PERIOD_DAYS days. @returns the period */
export function checkedPeriod(period: DayPeriod): DayPeriod {
  if (period.from > period.to) throw invalid([{ field: 'from', problem: 'is after to' }]);
  const days = (Date.parse(`${period.to}T00:00:00Z`) - Date.parse(`${period.from}T00:00:00Z`)) / 86_400_000 + 1;
  if (days > MAX_PERIOD_DAYS) throw invalid([{ field: 'to', problem: `the period is longer than ${MAX_PERIOD_DAYS} days` }]);
  return period;
}
