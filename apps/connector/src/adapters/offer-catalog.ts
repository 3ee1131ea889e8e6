import { Inject, Injectable } from '@nestjs/common';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { ConnectorDataUseConfig, ConnectorOfferConfig } from '@tsunagu/contracts';
import { itemSchemaAjv } from '../config/connector-file';
import { CONNECTOR_CONFIG, type ConnectorConfig } from '../connector.tokens';

/** An offered item with its compiled schema. */
export interface CompiledOffer {
  config: ConnectorOfferConfig;
  validate: ValidateFunction;
}

/** A data use this connector may request, with the compiled schema of each item it accepts. */
export interface CompiledDataUse {
  config: ConnectorDataUseConfig;
  items: Map<string, ValidateFunction>;
}

/** Where an item's value breaks its schema, as `{ field, problem }` details (paths only, never values). */
export function schemaProblems(code: string, errors: ErrorObject[] | null | undefined): { field: string; problem: string }[] {
  return (errors ?? []).slice(0, 10).map((e) => ({ field: `${code}${e.instancePath}`, problem: e.message ?? 'invalid' }));
}

/** The offers and data uses of the configuration, schemas compiled once at boot. */
@Injectable()
export class OfferCatalog {
  private readonly offers = new Map<string, CompiledOffer>();
  private readonly dataUses = new Map<string, CompiledDataUse>();

  constructor(@Inject(CONNECTOR_CONFIG) config: ConnectorConfig) {
    const ajv = itemSchemaAjv();
    for (const offer of config.offers) this.offers.set(offer.code, { config: offer, validate: ajv.compile(offer.schema) });
    for (const use of config.dataUses) {
      this.dataUses.set(use.code, { config: use, items: new Map(use.items.map((item) => [item.code, ajv.compile(item.schema)])) });
    }
  }

  offer(code: string): CompiledOffer | undefined {
    return this.offers.get(code);
  }

  dataUse(code: string): CompiledDataUse | undefined {
    return this.dataUses.get(code);
  }
}
