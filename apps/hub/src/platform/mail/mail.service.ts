import { Inject, Injectable } from '@nestjs/common';
import { createTransport, type Transporter } from 'nodemailer';
import { AppLogger, LogKind } from '@tsunagu/logger';
import { HUB_CONFIG, type HubConfig } from '../config/hub.config';

/** One message the hub sends (plain text: links must survive every mail client). */
export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
}

/** Injection token of the {@link Mailer}. */
export const MAILER = Symbol('MAILER');

/** Sends the hub's e-mail, or says it cannot (no SMTP server configured). */
export interface Mailer {
  readonly available: boolean;
  send(mail: OutgoingMail): Promise<void>;
}

/**
 * E-mail through the configured SMTP server with nodemailer (SMTP_HOST/PORT/SECURE/USER/PASSWORD,
 * MAIL_FROM). Without SMTP_HOST the hub sends nothing and says so (`available` is false): a link
 * that only reaches a log file would be no reset at all.
 */
@Injectable()
export class SmtpMailer implements Mailer {
  private readonly logger = new AppLogger(SmtpMailer.name);
  private readonly transport?: Transporter;

  constructor(@Inject(HUB_CONFIG) private readonly config: HubConfig) {
    if (config.SMTP_HOST) {
      this.transport = createTransport({
        host: config.SMTP_HOST, port: config.SMTP_PORT, secure: config.SMTP_SECURE,
        ...(config.SMTP_USER ? { auth: { user: config.SMTP_USER, pass: config.SMTP_PASSWORD ?? '' } } : {}),
        connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000,
        // Outside production a local test server has no certificate to offer.
        ...(config.NODE_ENV === 'production' ? {} : { tls: { rejectUnauthorized: false } }),
      });
    }
  }

  get available(): boolean {
    return !!this.transport;
  }

  async send(mail: OutgoingMail): Promise<void> {
    if (!this.transport) throw new Error('No SMTP server is configured (SMTP_HOST)');
    // base64 bodies: the links inside are never broken by quoted-printable soft line breaks.
    await this.transport.sendMail({ from: this.config.MAIL_FROM, to: mail.to, subject: mail.subject, text: mail.text, textEncoding: 'base64' });
    this.logger.log(LogKind.Communication, 'E-mail sent', { subject: mail.subject });
  }
}
