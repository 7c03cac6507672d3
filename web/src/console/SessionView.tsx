// The live session: start (with the R3 waiver dialog), join and end; the waiting list live from
// the console socket, with waiting times and a chip per rule; admit, admit all eligible, refuse
// with a message, send back, remove (with a reason), message one or all; who is in the room;
// alerts with a sound that can be muted (at most one knock every 10 s); and the call itself.
import { useEffect, useRef, useState } from "react";
import { Call } from "../call/Call.tsx";
import { type ApiError, api, socketUrl } from "../shared/api.ts";
import { Chips } from "./Chips.tsx";
import { Messages } from "./Messages.tsx";
import { useToneWaiver } from "./tone.tsx";
import type { Session, Snapshot, Staff, WaitingPerson } from "./types.ts";
import { Notice, useAction } from "./use-action.tsx";

interface Alert {
  id: number;
  kind: string;
  text: string;
}

const knockGapMs = 10_000;

/** The console is not in front: another tab, another window, or a shared screen on top. */
const notInFront = () => document.visibilityState !== "visible" || !document.hasFocus();

/** A browser notification, when allowed and the console is not in front (it is on screen otherwise). */
function notify(title: string, body: string, tag: string) {
  if (typeof Notification === "undefined" || Notification.permission !== "granted" || !notInFront()) return;
  try {
    new Notification(title, { body, tag });
  } catch {
    // Some browsers allow notifications only from a service worker: the title and sound remain.
  }
}

function beep() {
  try {
    const audio = new AudioContext();
    const osc = audio.createOscillator();
    osc.frequency.value = 660;
    osc.connect(audio.destination);
    osc.start();
    osc.stop(audio.currentTime + 0.25);
  } catch {
    // No sound available: the visual alert still shows.
  }
}

function minutes(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  return `${Math.floor(seconds / 60)} min`;
}

export function SessionView({ sessionId, me }: { sessionId: string; me: Staff }) {
  const [snap, setSnap] = useState<Snapshot | null>(null);
  const [alerts, setAlerts] = useState<Alert[]>([]);
  const [muted, setMuted] = useState(false);
  const { notice, setNotice, act: run } = useAction();
  const [call, setCall] = useState<{ token: string; url: string } | null>(null);
  const [broadcast, setBroadcast] = useState("");
  const broadcastTone = useToneWaiver("broadcast-tone");
  const lastKnock = useRef(0);
  const mutedRef = useRef(muted);
  mutedRef.current = muted;
  const waiverDialog = useRef<HTMLDialogElement>(null);
  const [waiverReason, setWaiverReason] = useState("");
  // Why the live view is not live just now (the service restarting, the network); null when it is.
  const [offline, setOffline] = useState<string | null>(null);

  const socketRef = useRef<WebSocket | null>(null);
  // Who this console has told the service it showed waiting (per wait: id and since), on this socket.
  const reported = useRef(new Set<string>());

  useEffect(() => {
    let socket: WebSocket | null = null;
    let stopped = false;
    let timer: number | undefined;
    const open = () => {
      socket = new WebSocket(socketUrl(`/ws/console/sessions/${sessionId}`));
      socketRef.current = socket;
      reported.current.clear();
      socket.onmessage = (event) => {
        const data = JSON.parse(event.data as string);
        if (data.type === "snapshot") {
          setSnap(data as Snapshot);
          setOffline(null);
        }
        // A call for help sounds whatever the knock's mute says, and its banner (from the
        // snapshot) stays until someone answers.
        if (data.type === "help") {
          beep();
          notify("Someone needs help", "Open the console to answer.", `help-${data.attendeeId}`);
        }
        if (data.type === "alert") {
          if (data.kind === "knock") notify("Someone is waiting", data.text, "knock");
          setAlerts((list) => [{ id: Date.now() + Math.random(), kind: data.kind, text: data.text }, ...list].slice(0, 20));
          if (data.kind === "knock" && !mutedRef.current && Date.now() - lastKnock.current > knockGapMs) {
            lastKnock.current = Date.now();
            beep();
          }
        }
      };
      socket.onclose = (event) => {
        // 4001: this sign-in has ended (signed out elsewhere, deactivated, expired): sign in again.
        if (event.code === 4001) location.reload();
        else if (!stopped) {
          // 1001: the service is restarting and says so; anything else is the network. Either way
          // the view reconnects by itself and says so until the next snapshot arrives.
          setOffline(event.code === 1001 && event.reason ? event.reason : "The connection was lost. Reconnecting.");
          timer = window.setTimeout(open, 2000);
        }
      };
    };
    open();
    return () => {
      stopped = true;
      window.clearTimeout(timer);
      socket?.close();
    };
  }, [sessionId]);

  // "Lee knows you are here.": once the people waiting are on a screen in front of someone (this
  // tab visible), their pages are told who saw them; a hidden tab tells nobody anything.
  useEffect(() => {
    const report = () => {
      const socket = socketRef.current;
      if (!snap || document.visibilityState !== "visible" || socket?.readyState !== WebSocket.OPEN) return;
      const fresh = snap.waiting.filter((p) => !reported.current.has(`${p.attendeeId}@${p.since}`));
      if (fresh.length === 0) return;
      for (const p of fresh) reported.current.add(`${p.attendeeId}@${p.since}`);
      socket.send(JSON.stringify({ type: "seen", attendeeIds: fresh.map((p) => p.attendeeId) }));
    };
    report();
    document.addEventListener("visibilitychange", report);
    return () => document.removeEventListener("visibilitychange", report);
  }, [snap]);

  const start = async (reason?: string) => {
    try {
      const res = await api<{ token: string; livekitUrl: string }>(
        "POST",
        `/api/sessions/${sessionId}/start`,
        reason ? { secondStaffWaiverReason: reason } : {},
      );
      setCall({ token: res.token, url: res.livekitUrl });
      waiverDialog.current?.close();
      setNotice({ text: "The session has started." });
    } catch (err) {
      const e = err as ApiError;
      const r3 = e.checks?.find((c) => c.rule === "R3.second-staff" && c.outcome === "fail");
      const others = e.checks?.filter((c) => c.outcome === "fail" && c.rule !== "R3.second-staff") ?? [];
      if (r3 && others.length === 0 && !reason) waiverDialog.current?.showModal();
      else setNotice({ text: [e.message, ...others.map((c) => `${c.rule}: ${c.reason}`)].join(" "), bad: true });
    }
  };

  const join = () =>
    run(async () => {
      const res = await api<{ token: string; livekitUrl: string }>("POST", `/api/sessions/${sessionId}/join`);
      setCall({ token: res.token, url: res.livekitUrl });
    });

  // The tab's title counts who is waiting and who needs help, so a glance at the tab bar is enough.
  const waitingCount = snap?.waiting.length ?? 0;
  const helpCount = snap?.help.length ?? 0;
  const title = snap?.session.title;
  useEffect(() => {
    if (!title) return;
    const counts = [helpCount ? `${helpCount} need help` : "", waitingCount ? `${waitingCount} waiting` : ""].filter(Boolean);
    document.title = `${counts.length ? `(${counts.join(", ")}) ` : ""}${title} · Gatekeeper`;
    return () => {
      document.title = "Gatekeeper";
    };
  }, [waitingCount, helpCount, title]);

  const session: Session | undefined = snap?.session;
  if (!snap || !session) return <p role="status">Loading the session.</p>;
  const isLead = session.leadStaffId === me.id;

  return (
    <>
      <h1>{session.title}</h1>
      <p>
        {new Date(session.startsAt).toLocaleString("en-GB")} to {new Date(session.endsAt).toLocaleTimeString("en-GB")} ·{" "}
        {session.delivery === "home" ? "in members' homes" : "at a venue"} · <strong>{session.status}</strong>
      </p>
      {offline && (
        <p role="status" className="notice bad">
          {offline}
        </p>
      )}
      <Notice notice={notice} />
      <div className="actions">
        {session.status === "scheduled" && isLead && (
          <button type="button" onClick={() => start()}>
            Start session
          </button>
        )}
        {session.status === "live" && !call && (
          <button type="button" onClick={join}>
            Join the call
          </button>
        )}
        {session.status === "scheduled" && !isLead && (
          <p>Only the session's lead can start it. You can join the call once it has started.</p>
        )}
        {session.status === "live" && (
          <button
            type="button"
            className="warning"
            onClick={() => {
              if (!window.confirm("End the session for everyone? Everyone in the call and the waiting room is told it has finished."))
                return;
              void run(() => api("POST", `/api/sessions/${sessionId}/end`), "The session has ended.");
            }}
          >
            End session
          </button>
        )}
      </div>

      <AlertsPermission />
      {snap.help.length > 0 && (
        <section className="notice bad" role="alert" aria-labelledby="help-calls-heading">
          <h2 id="help-calls-heading">Someone needs help</h2>
          <ul>
            {snap.help.map((h) => (
              <li key={`${h.attendeeId}-${h.at}`}>
                {h.name} {h.via === "carer" ? "(their carer says something is wrong)" : "pressed I need help"} at{" "}
                {new Date(h.at).toLocaleTimeString("en-GB")}.{" "}
                <button
                  type="button"
                  onClick={() =>
                    run(
                      () => api("POST", `/api/sessions/${sessionId}/attendees/${h.attendeeId}/help/answer`),
                      `${h.name} is told you are coming.`,
                    )
                  }
                >
                  I will help {h.name}
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
      {session.status === "live" && (
        <section aria-labelledby="recording-heading" className={snap.recording ? "notice bad" : undefined}>
          <h2 id="recording-heading">
            {snap.recording ? (snap.recording.stopping ? "Stopping the recording" : "Recording") : "Not recording"}
          </h2>
          {snap.recording ? (
            <button
              type="button"
              className="warning"
              disabled={snap.recording.stopping}
              onClick={() => run(() => api("DELETE", `/api/sessions/${sessionId}/recording`), "The recording was stopped.")}
            >
              Stop recording
            </button>
          ) : (
            <>
              <p>Recording needs consent from everyone in the room. Starting it says that you agree to be recorded.</p>
              <button
                type="button"
                onClick={() => run(() => api("POST", `/api/sessions/${sessionId}/recording`), "The recording started.")}
              >
                I agree to be recorded: start recording
              </button>
            </>
          )}
        </section>
      )}

      <dialog ref={waiverDialog} aria-labelledby="waiver-title">
        <form
          method="dialog"
          onSubmit={(e) => {
            e.preventDefault();
            void start(waiverReason);
          }}
        >
          <h2 id="waiver-title">No second member of staff</h2>
          <p>Rule R3: record why a second member of staff is not possible. The DSL will see this.</p>
          <label htmlFor="waiver-reason">Reason</label>
          <textarea
            id="waiver-reason"
            rows={3}
            cols={40}
            value={waiverReason}
            onChange={(e) => setWaiverReason(e.target.value)}
            required
            minLength={10}
          />
          <div className="actions">
            <button type="submit">Start with this reason</button>
            <button type="button" className="secondary" onClick={() => waiverDialog.current?.close()}>
              Cancel
            </button>
          </div>
        </form>
      </dialog>

      <div className="layout live">
        <section aria-labelledby="waiting-heading">
          <h2 id="waiting-heading">Waiting room ({snap.waiting.length})</h2>
          <div className="actions">
            <button
              type="button"
              disabled={!snap.waiting.some((p) => p.eligible)}
              onClick={() => run(() => api("POST", `/api/sessions/${sessionId}/admit-all`), "Everyone eligible was let in.")}
            >
              Admit all eligible
            </button>
            <label className="inline" htmlFor="mute">
              <input id="mute" type="checkbox" checked={muted} onChange={(e) => setMuted(e.target.checked)} />
              Mute the knock sound
            </label>
          </div>
          <form
            className="actions"
            onSubmit={(e) => {
              e.preventDefault();
              void run(
                broadcastTone.watch(() => api("POST", `/api/sessions/${sessionId}/message`, broadcastTone.body({ text: broadcast }))),
                "Message sent to everyone waiting.",
              ).then((ok) => ok && setBroadcast(""));
            }}
          >
            <label htmlFor="broadcast" className="visually-hidden">
              Message to everyone waiting
            </label>
            <input
              id="broadcast"
              placeholder="Message to everyone waiting"
              value={broadcast}
              onChange={(e) => {
                setBroadcast(e.target.value);
                broadcastTone.textChanged();
              }}
              required
              maxLength={500}
            />
            {broadcastTone.field}
            <button type="submit" className="secondary">
              Send to all
            </button>
          </form>
          {snap.waiting.length === 0 && <p>Nobody is waiting.</p>}
          {snap.waiting.map((person) => (
            <Person key={person.attendeeId} person={person} sessionId={sessionId} run={run} recording={snap.recording !== null} />
          ))}
          <h2>In the room</h2>
          <ul>
            {snap.inRoom.map((p) => (
              <li key={p.identity}>
                {p.name}
                {p.staff ? " (staff)" : ""} · may be recorded: {p.recordingConsent ? "yes" : "no"}{" "}
                {!p.staff && (
                  <button
                    type="button"
                    className="secondary"
                    onClick={() =>
                      run(
                        () => api("POST", `/api/sessions/${sessionId}/attendees/${p.identity}/return-to-waiting`),
                        `${p.name} was sent back to the waiting room.`,
                      )
                    }
                  >
                    Send {p.name} back
                  </button>
                )}
              </li>
            ))}
            {snap.inRoom.length === 0 && <li>Nobody is in the room.</li>}
          </ul>
          <h2 id="alerts-heading">Alerts</h2>
          <ul className="alerts" aria-labelledby="alerts-heading" aria-live="polite">
            {alerts.map((a) => (
              <li key={a.id}>
                <strong>{a.kind.replaceAll("-", " ")}:</strong> {a.text}
              </li>
            ))}
          </ul>
        </section>
        <section aria-labelledby="call-heading">
          <h2 id="call-heading">Call</h2>
          {call ? <Call serverUrl={call.url} token={call.token} staff onLeave={() => setCall(null)} /> : <p>You are not in the call.</p>}
        </section>
      </div>
      <Messages sessionId={sessionId} />
    </>
  );
}

/** Asks once, with the reason, for browser notifications (a click is needed to ask). */
function AlertsPermission() {
  const [permission, setPermission] = useState(typeof Notification === "undefined" ? "denied" : Notification.permission);
  if (permission !== "default") return null;
  return (
    <p className="hint">
      When this tab is not in front, the browser can tell you that someone is waiting or needs help.{" "}
      <button type="button" className="secondary" onClick={() => void Notification.requestPermission().then(setPermission)}>
        Turn on these alerts
      </button>
    </p>
  );
}

function Person({
  person,
  sessionId,
  run,
  recording,
}: {
  person: WaitingPerson;
  sessionId: string;
  run: (what: () => Promise<unknown>, done?: string) => Promise<boolean>;
  /** The room is being recorded: someone without recording consent cannot come in meanwhile. */
  recording: boolean;
}) {
  const [mode, setMode] = useState<"none" | "refuse" | "remove" | "message">("none");
  const [text, setText] = useState("");
  const tone = useToneWaiver(`tone-${person.attendeeId}`);
  const base = `/api/sessions/${sessionId}/attendees/${person.attendeeId}`;
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    let ok = false;
    if (mode === "refuse")
      ok = await run(
        tone.watch(() => api("POST", `${base}/refuse`, text ? tone.body({ message: text }) : {})),
        `${person.displayName} was refused.`,
      );
    if (mode === "remove") {
      ok = await run(async () => {
        const res = await api<{ reminder?: string }>("POST", `${base}/remove`, { reason: text });
        if (res.reminder) window.alert(res.reminder);
      }, `${person.displayName} was removed.`);
    }
    if (mode === "message")
      ok = await run(
        tone.watch(() => api("POST", `/api/sessions/${sessionId}/message`, tone.body({ text, attendeeId: person.attendeeId }))),
        "Message sent.",
      );
    // What was typed stays when the action failed, so it can be corrected and sent again.
    if (ok) {
      setMode("none");
      setText("");
    }
  };
  const labels = {
    refuse: "Message to show them (optional)",
    remove: "Reason for removing them (the DSL sees this)",
    message: "Message",
  } as const;
  return (
    <article className={`person ${person.longWait ? "long" : ""}`} aria-labelledby={`p-${person.attendeeId}`}>
      <h3 id={`p-${person.attendeeId}`}>
        {person.displayName}{" "}
        <small>
          waiting {minutes(person.waitingSeconds)}
          {person.longWait ? " (a long time)" : ""}
          {person.state === "returned" ? ", sent back" : ""}
        </small>
      </h3>
      <Chips checks={person.checks} />
      <p className="hint">
        May be recorded: {person.recordingConsent ? "yes" : "no"}
        {recording && !person.recordingConsent ? `. Stop the recording to let ${person.displayName} in.` : ""}
      </p>
      {!person.eligible && (
        <p id={`why-${person.attendeeId}`} className="hint">
          {person.displayName} cannot be let in until every rule above passes.
        </p>
      )}
      <div className="actions">
        <button
          type="button"
          onClick={() => run(() => api("POST", `${base}/admit`), `${person.displayName} was let in.`)}
          disabled={!person.eligible}
          aria-describedby={person.eligible ? `p-${person.attendeeId}` : `why-${person.attendeeId}`}
        >
          Admit {person.displayName}
        </button>
        <button type="button" className="secondary" onClick={() => setMode("refuse")}>
          Refuse
        </button>
        <button type="button" className="secondary" onClick={() => setMode("message")}>
          Message
        </button>
        <button type="button" className="warning" onClick={() => setMode("remove")}>
          Remove
        </button>
      </div>
      {mode !== "none" && (
        <form onSubmit={submit}>
          <label htmlFor={`t-${person.attendeeId}`}>{labels[mode]}</label>
          <input
            id={`t-${person.attendeeId}`}
            value={text}
            onChange={(e) => {
              setText(e.target.value);
              tone.textChanged();
            }}
            required={mode !== "refuse"}
            minLength={mode === "remove" ? 3 : undefined}
            maxLength={500}
          />
          {mode !== "remove" && tone.field}
          <div className="actions">
            <button type="submit">{mode === "refuse" ? "Refuse" : mode === "remove" ? "Remove" : "Send"}</button>
            <button type="button" className="secondary" onClick={() => setMode("none")}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </article>
  );
}
