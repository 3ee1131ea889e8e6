/** A route as Nest registered it on Express: upper-case method and path pattern (`/a/:id`). */
export interface Route {
  method: string;
  path: string;
}

/** Every route of an Express app as Nest registered it (method and path pattern), read from Express's router. */
export function routesOf(app: unknown): Route[] {
  const express = app as { router: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] } };
  return express.router.stack.flatMap((layer) => (layer.route ? Object.keys(layer.route.methods).filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m)).map((method) => ({ method: method.toUpperCase(), path: layer.route!.path })) : []));
}

/** The path with every parameter (`:id`, `*rest`) replaced by `value` (already percent-encoded). */
export function fill(path: string, value: string): string {
  return path.replace(/[:*][A-Za-z0-9_]+/g, value).replace(/[{}]/g, '');
}

/** Whether the route's path has a parameter. */
export const hasParameter = (path: string): boolean => /[:*]/.test(path);
