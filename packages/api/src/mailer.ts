import nodemailer from 'nodemailer';
import type { Logger } from './context.js';

export interface Email {
  to: string;
  subject: string;
  text: string;
  /** The HTML part (rendered with MJML, src/emails); absent: text only. */
  html?: string;
  /** A Message-ID fixed per email key, so a resend after a crash is recognisable as the same message. */
  messageId?: string;
  /** Extra headers (List-Unsubscribe …). */
  headers?: Record<string, string>;
}

export interface Mailer {
  send(email: Email): Promise<void>;
  /** Closes kept connections (the SMTP pool), when there are any. */
  close?(): Promise<void>;
}

/** SMTP connections kept open and shared by every send of a process (each takes up to 100 messages). */
const SMTP_POOL = { pool: true, maxConnections: 4 } as const;

/**
 * Email through SMTP (`SMTP_URL`, e.g. Mailpit at smtp://localhost:1025). With no SMTP_URL,
 * in development, the message (with its link) is printed to the log instead.
 */
export function createMailer(options: { smtpUrl: string | undefined; from: string; log: Logger }): Mailer {
  if (!options.smtpUrl) {
    return {
      async send(email) {
        options.log.info({ to: email.to, subject: email.subject, text: email.text }, 'email (no SMTP_URL: printed here instead of sent)');
      },
    };
  }
  // Pooled: a connection (TCP, greeting, EHLO, STARTTLS, AUTH) is opened once and kept for the
  // next emails, instead of once per email; anything SMTP_URL sets itself wins over these.
  const transport = nodemailer.createTransport({ url: options.smtpUrl, ...SMTP_POOL });
  return {
    async close() {
      transport.close();
    },
    async send(email) {
      await transport.sendMail({
        from: options.from,
        to: email.to,
        subject: email.subject,
        text: email.text,
        ...(email.html ? { html: email.html } : {}),
        ...(email.messageId ? { messageId: email.messageId } : {}),
        ...(email.headers ? { headers: email.headers } : {}),
      });
    },
  };
}
