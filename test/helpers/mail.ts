// A real SMTP server in the test process (smtp-server, from the Nodemailer project), on a free
// port, plain or offering STARTTLS with a self-signed certificate; what arrives is parsed with
// mailparser. It can be told to refuse a recipient with a reply of the test's choosing.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ParsedMail, simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

export interface Received {
  mail: ParsedMail;
  /** Whether the connection it came over was encrypted (STARTTLS). */
  secure: boolean;
  to: string[];
}

export class MailServer {
  readonly received: Received[] = [];
  /** Recipient address → the reply to refuse it with, e.g. "451 4.3.0 Try again later". */
  readonly refuse = new Map<string, string>();
  private server: SMTPServer | undefined;
  private dir: string | undefined;
  /** The certificate to trust (STARTTLS servers only). */
  caFile: string | undefined;
  port = 0;

  constructor(private readonly options: { starttls: boolean; user?: string; password?: string }) {}

  async start(): Promise<string> {
    let tls = {};
    if (this.options.starttls) {
      this.dir = mkdtempSync(join(tmpdir(), "gk-smtp-"));
      const key = join(this.dir, "key.pem");
      const cert = join(this.dir, "cert.pem");
      execFileSync(
        "openssl",
        [
          "req",
          "-x509",
          "-newkey",
          "rsa:2048",
          "-nodes",
          "-days",
          "1",
          "-subj",
          "/CN=localhost",
          "-addext",
          "subjectAltName=DNS:localhost,IP:127.0.0.1",
          "-keyout",
          key,
          "-out",
          cert,
        ],
        { stdio: "ignore" },
      );
      this.caFile = cert;
      tls = { key: readFileSync(key), cert: readFileSync(cert) };
    }
    const { user, password } = this.options;
    this.server = new SMTPServer({
      ...tls,
      secure: false,
      hideSTARTTLS: !this.options.starttls,
      authOptional: !user,
      disabledCommands: user ? [] : ["AUTH"],
      // Authentication only over TLS when TLS is on offer, as a real relay would.
      allowInsecureAuth: !this.options.starttls,
      onAuth: (auth, _session, done) =>
        auth.username === user && auth.password === password ? done(null, { user }) : done(new Error("535 5.7.8 Bad credentials")),
      onRcptTo: (address, _session, done) => {
        const reply = this.refuse.get(address.address);
        if (!reply) return done();
        const err = new Error(reply.slice(4)) as Error & { responseCode: number };
        err.responseCode = Number(reply.slice(0, 3));
        done(err);
      },
      onData: (stream, session, done) => {
        simpleParser(stream)
          .then((mail) => {
            this.received.push({ mail, secure: session.secure, to: session.envelope.rcptTo.map((r) => r.address) });
            done();
          })
          .catch(done);
      },
      logger: false,
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.port = (this.server.server.address() as { port: number }).port;
    const auth = user ? `${encodeURIComponent(user)}:${encodeURIComponent(password ?? "")}@` : "";
    return `smtp://${auth}127.0.0.1:${this.port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
  }
}
