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
}

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
  const transport = nodemailer.createTransport(options.smtpUrl);
  return {
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
