import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Controller, Get, Header } from '@nestjs/common';

/** Where `npm run build` puts the dashboard's browser script (dashboard/browser/tsconfig.json), beside this file's build. */
const DASHBOARD_SCRIPT = join(__dirname, '..', 'dashboard', 'browser', 'dashboard.client.js');

const sources = new Map<string, string>();
/** A file's text, read once (the scripts do not change while the hub runs). */
function source(path: string): string {
  let text = sources.get(path);
  if (text === undefined) {
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      throw new Error(`Cannot read ${path} (npm run build compiles the dashboard script)`, { cause: error });
    }
    sources.set(path, text);
  }
  return text;
}

/**
 * Static scripts of the admin screens, served from our origin (the CSP allows script from 'self'
 * only). Pages carry no inline script: the dashboard's figures sit in a JSON data block that
 * `dashboard.js` reads and hands to Chart.js.
 */
@Controller('admin/assets')
export class AdminAssetsController {
  /** Chart.js's UMD build, from the installed package. */
  @Get('chart.umd.js')
  @Header('content-type', 'application/javascript')
  @Header('cache-control', 'public, max-age=86400')
  chart(): string {
    return source(join(dirname(require.resolve('chart.js')), 'chart.umd.js'));
  }

  /** The dashboard's script, compiled for the browser from dashboard/browser/dashboard.client.ts. */
  @Get('dashboard.js')
  @Header('content-type', 'application/javascript')
  @Header('cache-control', 'public, max-age=3600')
  dashboard(): string {
    return source(DASHBOARD_SCRIPT);
  }
}
