import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Controller, Get, Res } from '@nestjs/common';
import type { Response } from 'express';
import { DASHBOARD_SCRIPT } from '../dashboard/dashboard.script';

let chartJs: string | undefined;
/** Chart.js's UMD build, read once from the installed package (served from our origin: CSP 'self'). */
function chartJsSource(): string {
  chartJs ??= readFileSync(join(dirname(require.resolve('chart.js')), 'chart.umd.js'), 'utf8');
  return chartJs;
}

/**
 * Static scripts of the admin screens. Pages carry no inline script (the CSP forbids it): the
 * dashboard's figures sit in a JSON data block that `dashboard.js` reads and hands to Chart.js.
 */
@Controller('admin/assets')
export class AdminAssetsController {
  @Get('chart.umd.js')
  chart(@Res() res: Response): void {
    res.type('application/javascript').setHeader('cache-control', 'public, max-age=86400').send(chartJsSource());
  }

  @Get('dashboard.js')
  dashboard(@Res() res: Response): void {
    res.type('application/javascript').setHeader('cache-control', 'public, max-age=3600').send(DASHBOARD_SCRIPT);
  }
}
