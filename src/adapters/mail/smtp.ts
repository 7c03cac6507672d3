// Sending e-mail over SMTP with Nodemailer. SMTP_URL: smtp:// (STARTTLS when the server offers
// it) or smtps:// (TLS from the start), with the user and password in the URL. The outbox calls
// send(); what the server answered decides what happens next: 2xx sent, 4xx or a network failure
// tried again later, 5xx (a bad address, a refusal) not tried again.
import { readFileSync } from "node:fs";
import nodemailer from "nodemailer";

export interface Mail {
  /** Our id for the message, as its Message-ID: a retry is recognisably the same message. */
  id: string;
  to: { name: string; address: string };
  subject: string;
  text: string;
  html: string;
  /** An iCalendar file, attached as text/calendar. */
  calendar: string | null;
}

export type MailResult = { outcome: "sent" | "retry" | "failed"; reply: string };

export interface Mailer {
  send(mail: Mail): Promise<MailResult>;
  close(): void;
}

interface SmtpError {
  code?: string;
  responseCode?: number;
  response?: string;
  message?: string;
}

/** What the server's refusal means: 5xx is permanent, anything else (4xx, no answer) may pass later. */
function classify(err: SmtpError): MailResult {
  const reply = (err.response ?? err.message ?? String(err)).slice(0, 1000);
  if (typeof err.responseCode === "number") return { outcome: err.responseCode >= 500 ? "failed" : "retry", reply };
  // Nodemailer refuses an address it cannot parse before talking to the server.
  if (err.code === "EENVELOPE") return { outcome: "failed", reply };
  return { outcome: "retry", reply };
}

export function smtpMailer(url: string, from: string, options: { caFile?: string } = {}): Mailer {
  const u = new URL(url);
  const secure = u.protocol === "smtps:";
  const transport = nodemailer.createTransport({
    host: u.hostname,
    port: u.port ? Number(u.port) : secure ? 465 : 587,
    secure,
    auth: u.username ? { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) } : undefined,
    // A relay with a certificate from the organisation's own authority.
    tls: options.caFile ? { ca: [readFileSync(options.caFile, "utf8")] } : undefined,
    // A slow or dead server fails the attempt, which is retried; it never holds anything else.
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
  return {
    async send(mail) {
      try {
        const info = await transport.sendMail({
          from,
          to: { name: mail.to.name, address: mail.to.address },
          subject: mail.subject,
          text: mail.text,
          html: mail.html,
          messageId: `<${mail.id}@gatekeeper>`,
          attachments: mail.calendar
            ? [{ filename: "invitation.ics", content: mail.calendar, contentType: "text/calendar; charset=utf-8; method=PUBLISH" }]
            : [],
        });
        return { outcome: "sent", reply: String(info.response ?? "").slice(0, 1000) };
      } catch (err) {
        return classify(err as SmtpError);
      }
    },
    close: () => transport.close(),
  };
}
