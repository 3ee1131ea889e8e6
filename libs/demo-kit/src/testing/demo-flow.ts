import type { Response } from 'supertest';
import type request from 'supertest';

type Agent = ReturnType<typeof request.agent>;

/** The CSRF token of the first form on a page. */
export function csrfFrom(page: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(page);
  if (!match) throw new Error('no CSRF token on the page');
  return match[1];
}

/**
 * Signs in through the (fake) hub like a browser would: the demo's /auth/login, the hub's
 * authorization endpoint, back to the demo's callback. Returns the callback's response.
 */
export async function signInThroughHub(agent: Agent, loginPath = '/auth/login'): Promise<Response> {
  const login = await agent.get(loginPath);
  if (login.status !== 303) throw new Error(`login answered ${login.status}`);
  const atHub = await fetch(login.headers.location, { redirect: 'manual' });
  const callback = new URL(atHub.headers.get('location') ?? '');
  return agent.get(`${callback.pathname}${callback.search}`);
}
