import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the stand-in received. */
export interface SdkCall { method: string; path: string; authorization?: string; body: unknown }

/**
 * A real local HTTP server standing in for a connector's SDK endpoints (`POST /sdk/v1/requests`) in
 * the demos' tests: answers whatever `answer` holds and records every call.
 */
export class SdkStandIn {
  readonly calls: SdkCall[] = [];
  answer: { status: number; body: unknown } = { status: 200, body: {} };

  private constructor(private readonly server: Server, readonly url: string) {}

  static async start(): Promise<SdkStandIn> {
    const holder: { standIn?: SdkStandIn } = {};
    const server = createServer((req, res) => {
      void readBody(req).then((text) => {
        const standIn = holder.standIn!;
        standIn.calls.push({ method: req.method ?? '', path: req.url ?? '', authorization: req.headers.authorization, body: text ? JSON.parse(text) : undefined });
        res.writeHead(standIn.answer.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(standIn.answer.body));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    holder.standIn = new SdkStandIn(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    return holder.standIn;
  }

  /** A refusal in the connector's error format. */
  refuse(status: number, code: string): void {
    this.answer = { status, body: { error: { code, message: '拒否されました。', messageEn: 'Refused.', correlationId: 'test-correlation' } } };
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
