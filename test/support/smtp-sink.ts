import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { pollUntil } from '@tsunagu/testing';

/** One message the sink received, its text body decoded. */
export interface ReceivedMail {
  to: string[];
  subject: string;
  text: string;
}

/** Decodes an RFC 2047 encoded-word header (`=?UTF-8?B?…?=`, `=?UTF-8?Q?…?=`). */
function decodeHeader(value: string): string {
  return value.replace(/\s*=\?utf-8\?([bq])\?([^?]*)\?=\s*/gi, (_, kind: string, text: string) =>
    kind.toLowerCase() === 'b' ? Buffer.from(text, 'base64').toString('utf8')
      : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9a-f]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8'));
}

/** A single-part text message as nodemailer writes it (base64 or quoted-printable or 7bit body). */
function parse(raw: string, to: string[]): ReceivedMail {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const body = raw.slice(split + 4);
  const header = (name: string) => new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(head)?.[1] ?? '';
  const encoding = header('Content-Transfer-Encoding').toLowerCase();
  const text = encoding === 'base64' ? Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8')
    : encoding === 'quoted-printable' ? Buffer.from(body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8')
      : body;
  return { to, subject: decodeHeader(header('Subject')), text };
}

/**
 * A real SMTP server (the `smtp-server` package) on a free loopback port, keeping every message it
 * accepts: what the hub's nodemailer transport talks to in the tests, as it would to a relay.
 */
export class SmtpSink {
  readonly mails: ReceivedMail[] = [];
  private server?: SMTPServer;
  port = 0;

  async start(): Promise<this> {
    this.server = new SMTPServer({
      authOptional: true, disabledCommands: ['STARTTLS'], logger: false,
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          this.mails.push(parse(Buffer.concat(chunks).toString('utf8'), session.envelope.rcptTo.map((r) => r.address)));
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.server.address() as AddressInfo).port;
    return this;
  }

  /** The newest mail to `address` after `after` mails had arrived (polled, never a fixed wait). */
  async next(address: string, after: number): Promise<ReceivedMail> {
    const found = await pollUntil(() => this.mails.slice(after).filter((m) => m.to.includes(address)), (m) => m.length > 0, 10_000);
    return found[found.length - 1];
  }

  stop(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/** The first link into the hub in a mail's text. */
export function linkIn(mail: ReceivedMail, hubUrl: string): string {
  const match = new RegExp(`${hubUrl.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/[^\\s]+`).exec(mail.text);
  if (!match) throw new Error(`No hub link in the mail: ${mail.text}`);
  return match[0];
}
