// A session's messages (the outbox): to whom, what, and what happened, with the message itself;
// for someone with no e-mail, or when no mail server is set up, the links to give another way.
import { useCallback, useEffect, useState } from "react";
import { api } from "../shared/api.ts";
import { Copy } from "./Sessions.tsx";
import type { OutboxMessage } from "./types.ts";

const kinds: Record<OutboxMessage["kind"], string> = {
  invitation: "Invitation",
  reminder: "Reminder to confirm",
  changed: "Change",
  cancelled: "Cancellation",
  "link-reissued": "New link",
};

const when = (iso: string) =>
  new Date(iso).toLocaleString("en-GB", { weekday: "long", day: "numeric", month: "long", hour: "2-digit", minute: "2-digit" });

function statusWords(m: OutboxMessage): string {
  const last = m.attempts.at(-1);
  switch (m.status) {
    case "sent":
      return `Sent ${when(m.sentAt ?? last?.at ?? m.notBefore)}`;
    case "waiting-for-hours":
      return `Will be sent ${when(m.notBefore)} (outside the agreed hours until then)`;
    case "queued":
      return last?.outcome === "retry"
        ? `Trying again (${last.reply ?? "the mail server did not take it"})`
        : `Will be sent ${when(m.notBefore)}`;
    case "failed":
      return `Not delivered: ${last?.reply ?? "the mail server refused it"}`;
    case "not-sent":
      if (!m.to) return "No e-mail: give the link another way";
      return last?.reply ?? "Not sent: no mail server is set up";
  }
}

export function Messages({ sessionId }: { sessionId: string }) {
  const [messages, setMessages] = useState<OutboxMessage[] | null>(null);
  const load = useCallback(async () => {
    setMessages((await api<{ messages: OutboxMessage[] }>("GET", `/api/sessions/${sessionId}/messages`)).messages);
  }, [sessionId]);
  useEffect(() => {
    void load();
  }, [load]);
  if (!messages) return null;
  return (
    <section aria-labelledby="messages-heading">
      <h2 id="messages-heading">Messages</h2>
      <button type="button" className="secondary" onClick={() => void load()}>
        Check the messages again
      </button>
      {messages.length === 0 && <p>No messages for this session.</p>}
      <ul className="messages">
        {messages.map((m) => (
          <li key={m.id} className={m.status === "failed" ? "failed" : undefined}>
            <strong>{kinds[m.kind]}</strong> to {m.toName}
            {m.to ? ` (${m.to})` : ""}: {statusWords(m)}
            <details>
              <summary>Read the message</summary>
              <p>
                <strong>{m.subject}</strong>
              </p>
              <pre>{m.text}</pre>
              {m.status !== "sent" &&
                m.links
                  .filter((l) => l.url)
                  .map((l) => <Copy key={l.name} label={l.name === "carer" ? "the carer link" : "the invite link"} value={l.url!} />)}
            </details>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** What was sent about one member, across sessions (no links: those are on each session). */
export function MemberMessages({ memberId, name }: { memberId: string; name: string }) {
  const [messages, setMessages] = useState<OutboxMessage[] | null>(null);
  return (
    <details
      onToggle={(e) => {
        if ((e.target as HTMLDetailsElement).open && !messages)
          void api<{ messages: OutboxMessage[] }>("GET", `/api/members/${memberId}/messages`).then((r) => setMessages(r.messages));
      }}
    >
      <summary>Messages sent about {name}</summary>
      {messages?.length === 0 && <p>Nothing has been sent about {name}.</p>}
      <ul className="messages">
        {messages?.map((m) => (
          <li key={m.id}>
            {new Date(m.dueAt).toLocaleDateString("en-GB")}: <strong>{kinds[m.kind]}</strong> to {m.toName}
            {m.to ? ` (${m.to})` : ""}, &ldquo;{m.subject}&rdquo;: {statusWords(m)}
          </li>
        ))}
      </ul>
    </details>
  );
}
