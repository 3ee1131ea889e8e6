import type { PipeTransform } from '@nestjs/common';
import type { JSONSchemaType } from 'ajv';
import { assertValid, DomainException } from '@tsunagu/common';
import { ADMIN_ERROR_MESSAGES, ErrorReason } from '@tsunagu/contracts';

/**
 * The form of an action that cannot be undone (revoke a connector, delete a service, …): the CSRF
 * token, an optional reason for the audit chain, and `confirm`, which must name the action.
 */
export interface ConfirmedActionForm {
  csrf?: string;
  reason?: string;
  /** The action's name (`revoke`, `delete`, …): sent by its confirmation page's button. */
  confirm?: string;
}

/** JSON Schema of {@link ConfirmedActionForm} (unknown fields refused, as every admin form). */
export const confirmedActionFormSchema: JSONSchemaType<ConfirmedActionForm> = {
  type: 'object',
  properties: {
    csrf: { type: 'string', maxLength: 200, nullable: true },
    reason: { type: 'string', maxLength: 500, nullable: true },
    confirm: { type: 'string', maxLength: 64, nullable: true },
  },
  required: [],
  additionalProperties: false,
};

/**
 * The refusal of an irreversible action posted without its confirmation (`confirmation_required`, 400;
 * the detail names the field and the value expected). The error page links to the confirmation
 * page, which is a GET of the same path.
 */
export class ConfirmationRequired extends DomainException<'confirmation_required'> {
  constructor(readonly action: string) {
    super('confirmation_required', ErrorReason.BadRequest, ADMIN_ERROR_MESSAGES.confirmation_required, [
      { field: 'confirm', problem: `must be "${action}": the confirmation page (GET of this path) sends it` },
    ]);
  }
}

/**
 * `@Body(new ConfirmedAction('revoke'))`: the body of an irreversible action, refused unless it
 * says `confirm=<action>`. Only the action's confirmation page (a GET of the same path, which says
 * in words what will happen) sends that field, so no other button, stale form or script that
 * forgot can do it by accident; a JSON client states it on purpose (`{"confirm":"revoke"}`). The
 * CSRF token, checked before any pipe, still ties the post to the admin's session. No server-side
 * state: the confirmation is a deliberate second step, not a secret.
 */
export class ConfirmedAction implements PipeTransform<unknown, ConfirmedActionForm> {
  constructor(readonly action: string) {}

  transform(value: unknown): ConfirmedActionForm {
    const form = assertValid<ConfirmedActionForm>(confirmedActionFormSchema, value ?? {});
    if (form.confirm !== this.action) throw new ConfirmationRequired(this.action);
    return form;
  }
}
