import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JSONWebKeySet } from 'jose';
import { sampleReceiptChain } from '@tsunagu/contracts/testing';
import { runReceiptVerify } from './receipt-verify';

/** `npm run receipt:verify`: exit status and report for good and broken receipt files. */
describe('receipt:verify', () => {
  let jwks: JSONWebKeySet;
  let chain: string[];
  const files = new Map<string, string>();

  async function run(...args: string[]): Promise<{ code: number; output: string }> {
    const lines: string[] = [];
    const code = await runReceiptVerify(args, (line) => lines.push(line), (name) => {
      const text = files.get(name);
      if (text === undefined) throw new Error('no such file');
      return text;
    });
    return { code, output: lines.join('\n') };
  }

  beforeAll(async () => {
    ({ jwks, chain } = await sampleReceiptChain(3));
    files.set('jwks.json', JSON.stringify(jwks));
    files.set('one.json', JSON.stringify({ recordId: 'x', jws: chain[0], receipt: {} }));
    files.set('chain.json', JSON.stringify({ receipts: chain.map((jws) => ({ jws })) }));
    files.set('dropped.json', JSON.stringify({ receipts: [chain[0], chain[2]].map((jws) => ({ jws })) }));
    files.set('bare.jws', chain[1]);
  });

  it('verifies one receipt against a JWKS file', async () => {
    const { code, output } = await run('one.json', '--jwks', 'jwks.json');
    expect(code).toBe(0);
    expect(output).toMatch(/^OK {2}#1 given/);
  });

  it('verifies a whole chain and reports a dropped receipt with exit status 1', async () => {
    expect(await run('chain.json', '--jwks', 'jwks.json')).toMatchObject({ code: 0, output: expect.stringContaining('Chain of 3 receipts verified') });
    const dropped = await run('dropped.json', '--jwks', 'jwks.json');
    expect(dropped.code).toBe(1);
    expect(dropped.output).toContain('sequence: Sequence 3 follows 1');
    expect(dropped.output).toContain('NOT VERIFIED: 2 problem(s)');
  });

  it('fetches the keys from the issuer the receipt names, falling back to the archive of receipt keys', async () => {
    let server: Server | undefined;
    try {
      server = createServer((req, res) => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify(req.url === '/api/v1/receipts/jwks' ? jwks : { keys: [] }));
      });
      await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
      const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const { chain: ownChain, jwks: ownKeys } = await sampleReceiptChain(1, issuer);
      jwks = ownKeys;
      files.set('jwks.json', JSON.stringify(ownKeys));
      files.set('issued.jws', ownChain[0]);
      const { code, output } = await run('issued.jws');
      expect(code).toBe(0);
      expect(output).toContain('pin the hub you trust with --issuer');
      expect(await run('issued.jws', '--issuer', 'https://other.example', '--jwks', 'jwks.json'))
        .toMatchObject({ code: 1, output: expect.stringContaining(`NOT VERIFIED (issuer): Issued by ${issuer}`) });
      server.close();
      expect(await run('issued.jws')).toMatchObject({ code: 2, output: expect.stringContaining('Cannot get the public keys') });
    } finally {
      server?.close();
    }
  });

  it('explains bad usage and unreadable input with exit status 2', async () => {
    expect((await run()).code).toBe(2);
    expect((await run('missing.json', '--jwks', 'jwks.json')).output).toContain('Cannot read missing.json');
    expect((await run('one.json', '--bogus')).output).toContain('Unknown option --bogus');
  });
});
