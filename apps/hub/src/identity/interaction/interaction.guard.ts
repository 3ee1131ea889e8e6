import { type CanActivate, createParamDecorator, type ExecutionContext, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { csrfRequired, submittedCsrfToken } from '@tsunagu/web';
import { ResidentException } from '../residents/resident.exception';
import { InteractionService, type OpenInteraction } from './interaction.service';

interface InteractionRequest extends Request {
  interaction?: OpenInteraction;
}

/**
 * Every sign-in screen belongs to an interaction oidc-provider started: the guard finds it (from
 * the interaction cookie) before the handler runs, and a request without one goes to
 * InteractionErrorFilter as an expired page. Every POST of the screens must also carry the
 * interaction's own anti-forgery token (`csrf` field), else it is refused (403
 * `interaction_csrf_invalid`) before anything of the handler runs. The handler gets the
 * interaction as `@CurrentInteraction()`.
 */
@Injectable()
export class InteractionGuard implements CanActivate {
  constructor(private readonly interactions: InteractionService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const req = http.getRequest<InteractionRequest>();
    const interaction = await this.interactions.open(req, http.getResponse<Response>());
    if (csrfRequired(req.method) && !(await this.interactions.checkCsrf(interaction, submittedCsrfToken(req)))) {
      throw new ResidentException('interaction_csrf_invalid');
    }
    req.interaction = interaction;
    return true;
  }
}

/** `@CurrentInteraction() interaction: OpenInteraction` — the interaction {@link InteractionGuard} found. */
export const CurrentInteraction = createParamDecorator((_: unknown, ctx: ExecutionContext): OpenInteraction => {
  const interaction = ctx.switchToHttp().getRequest<InteractionRequest>().interaction;
  if (!interaction) throw new Error('InteractionGuard did not run');
  return interaction;
});
