import { Injectable, RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';

/** One route of the admin screens: HTTP method and Nest path (`:name` parameters). */
export interface AdminRoute {
  method: string;
  path: string;
}

function join(...parts: string[]): string {
  const path = `/${parts.map((p) => p.replace(/^\/+|\/+$/g, '')).filter(Boolean).join('/')}`;
  return path;
}

/**
 * Every route under `/admin` and `/system`, read from the controllers Nest registered (not from a
 * hand-kept list): the isolation test walks these, so a new route is tested without anyone adding
 * it anywhere.
 */
@Injectable()
export class AdminRouteCatalog {
  constructor(private readonly discovery: DiscoveryService, private readonly scanner: MetadataScanner) {}

  list(): AdminRoute[] {
    const routes: AdminRoute[] = [];
    for (const wrapper of this.discovery.getControllers()) {
      const { instance, metatype } = wrapper;
      if (!instance || !metatype) continue;
      const prefixes = [Reflect.getMetadata(PATH_METADATA, metatype) ?? ''].flat() as string[];
      const prototype = Object.getPrototypeOf(instance);
      for (const methodName of this.scanner.getAllMethodNames(prototype)) {
        const handler = prototype[methodName];
        const paths = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        if (paths === undefined || method === undefined) continue;
        for (const prefix of prefixes) {
          for (const path of [paths].flat()) {
            const full = join(prefix, path);
            if (full === '/admin' || full.startsWith('/admin/') || full === '/system' || full.startsWith('/system/')) {
              routes.push({ method: RequestMethod[method], path: full });
            }
          }
        }
      }
    }
    return routes.sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
  }
}
