import nodemailer from 'nodemailer';
import type { MailSettings } from '../config';

export interface MailMessage {
  to: string[];
  subject: string;
  text: string;
}

/** How the worker sends run e-mails: `sent` through SMTP, or `logged` (no SMTP_URL: written to the worker log). */
export interface Mailer {
  send(message: MailMessage): Promise<'sent' | 'logged'>;
}

/** An SMTP failure, named by nodemailer's code (`ECONNECTION`, `EAUTH`, …) and the server's reply code; never its text. */
export class MailError extends Error {
  override readonly name = 'MailError';
  constructor(
    message: string,
    /** A later attempt may succeed (no connection, a 4xx reply); a 5xx reply or refused login will not. */
    readonly retryable: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

// nodemailer waits minutes by default; an after-run attempt has two
const TIMEOUTS = { connectionTimeout: 20_000, greetingTimeout: 20_000, socketTimeout: 60_000 };

export function createMailer(settings: MailSettings, log: (line: string) => void = console.log): Mailer {
  if (!settings.smtpUrl) return logMailer(log);
  const url = new URL(settings.smtpUrl);
  const secure = url.protocol === 'smtps:';
  const transport = nodemailer.createTransport({
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port ? Number(url.port) : secure ? 465 : 587,
    secure,
    ...(url.username ? { auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } } : {}),
    ...TIMEOUTS,
  });
  return {
    async send(message) {
      try {
        await transport.sendMail({ from: settings.from, to: message.to, subject: message.subject, text: message.text });
        return 'sent';
      } catch (error) {
        throw mailError(error);
      }
    },
  };
}

/** Without SMTP_URL: one log line per message. Run e-mails hold counts, codes and file names, never row data. */
export function logMailer(log: (line: string) => void = console.log): Mailer {
  return {
    async send(message) {
      log(JSON.stringify({ event: 'run e-mail not sent: SMTP_URL is not set', to: message.to, subject: message.subject, text: message.text }));
      return 'logged';
    },
  };
}

function mailError(error: unknown): MailError {
  const { code, responseCode } = error as { code?: string; responseCode?: number };
  const reply = typeof responseCode === 'number' ? ` (reply ${String(responseCode)})` : '';
  const permanent = code === 'EAUTH' || code === 'EENVELOPE' || (typeof responseCode === 'number' && responseCode >= 500);
  return new MailError(`the SMTP server did not take the message: ${code ?? 'unknown error'}${reply}`, !permanent, { cause: error });
}
