// /join/<token>: the member's (or volunteer's) page. Easy-read, one action per screen: agree to
// the group rules, wait (told plainly why, live), then join the video call when staff let them
// in. It reconnects by itself and never times out.
import { StrictMode, useCallback, useEffect, useRef, useState } from "react";
import { createRoot } from "react-dom/client";
import "../shared/easy.css";
import type { z } from "zod";
import type { invite, Wire } from "../../../src/contract/api.ts";
import type { PageState } from "../../../src/contract/live.ts";
import { Call } from "../call/Call.tsx";
import { ApiError, api, patiently, retryDelayMs, socketUrl, tokenFromPath, when } from "../shared/api.ts";
import { DeviceCheck } from "../shared/DeviceCheck.tsx";
import { type EmergencyContact, Help } from "../shared/Help.tsx";
import { ClockIcon, PeopleIcon, PlanIcon, RecordingIcon, RulesIcon, StopIcon, TickIcon } from "../shared/icons.tsx";

// The invite and the socket's state message, as the service's contract declares them.
type Invite = Wire<z.infer<typeof invite>>;

type Screen =
  | { kind: "loading"; connecting?: true }
  | { kind: "problem"; heading: string; text: string }
  | { kind: "rules"; invite: Invite }
  | { kind: "live"; invite: Invite }
  | { kind: "left"; invite: Invite };

const token = tokenFromPath();

function App() {
  const [screen, setScreen] = useState<Screen>({ kind: "loading" });
  const [contact, setContact] = useState<EmergencyContact | null>(null);

  const load = useCallback(async () => {
    // A busy moment (everyone opening their link at the top of the hour) or a restart: the page
    // tries again by itself and says it is connecting, rather than showing an error.
    const connecting = () => setScreen({ kind: "loading", connecting: true });
    try {
      const invite = await patiently(() => api<Invite>("GET", `/api/join/${token}`), connecting);
      setContact(invite.session.emergencyContact);
      if (!invite.agreedToCurrentGuidelines) return setScreen({ kind: "rules", invite });
      await patiently(() => api("POST", `/api/join/${token}`, {}), connecting);
      setScreen({ kind: "live", invite });
    } catch (err) {
      if (err instanceof ApiError && err.status === 404)
        setScreen({ kind: "problem", heading: "This link does not work", text: "Please ask staff for a new link." });
      else if (err instanceof ApiError && err.status === 410)
        setScreen({ kind: "problem", heading: "This group has finished", text: err.message });
      else setScreen({ kind: "problem", heading: "Something went wrong", text: "Please try again in a minute." });
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  const agree = async (invite: Invite) => {
    await patiently(
      () => api("POST", `/api/join/${token}`, { agreedToGuidelines: true }),
      () => setScreen({ kind: "loading", connecting: true }),
    );
    setScreen({ kind: "live", invite });
  };

  return (
    <main>
      {screen.kind === "loading" && (
        <p role="status">{screen.connecting ? "Connecting. Please keep this page open." : "Loading your page."}</p>
      )}
      {screen.kind === "problem" && (
        <>
          <h1>{screen.heading}</h1>
          <div className="row status bad" role="status">
            <StopIcon label="Stop" />
            <p>{screen.text}</p>
          </div>
        </>
      )}
      {screen.kind === "rules" && <Rules invite={screen.invite} onAgree={() => agree(screen.invite)} />}
      {screen.kind === "live" && <Waiting invite={screen.invite} onLeave={() => setScreen({ kind: "left", invite: screen.invite })} />}
      {screen.kind === "left" && (
        <>
          <h1>You have left</h1>
          <div className="row status" role="status">
            <PeopleIcon label="Group" />
            <p>You can come back with your link.</p>
          </div>
          <div className="actions">
            <button type="button" onClick={() => setScreen({ kind: "live", invite: screen.invite })}>
              Go back in
            </button>
          </div>
        </>
      )}
      <Help contact={contact} />
    </main>
  );
}

function Rules({ invite, onAgree }: { invite: Invite; onAgree: () => void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <>
      <h1 ref={heading} tabIndex={-1}>
        Group rules
      </h1>
      <div className="row">
        <RulesIcon label="Rules" />
        <p>Welcome to {invite.session.title}. Please read the rules.</p>
      </div>
      <ul>
        {invite.guidelines.lines.map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
      <div className="actions">
        <button type="button" onClick={onAgree}>
          Yes, I agree
        </button>
      </div>
    </>
  );
}

const words: Record<PageState["state"], string> = {
  waiting: "You are waiting.",
  returned: "Staff asked you to wait again.",
  admitted: "Come in now.",
  refused: "You cannot join today.",
  ended: "The group has finished.",
};

function Waiting({ invite, onLeave }: { invite: Invite; onLeave: () => void }) {
  const [state, setState] = useState<PageState | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  // Until the first connection, the page says it is connecting (a busy moment can take seconds).
  const [connected, setConnected] = useState(false);
  const [notice, setNotice] = useState("Connecting. Please keep this page open.");
  // The latest call for help: from this page's messages, or from the state when the page opens.
  const [help, setHelp] = useState<PageState["help"] | null>(null);
  const askForHelp = async () => {
    try {
      await api("POST", `/api/join/${token}/help`);
      setHelp({ state: "sent" });
    } catch {
      setHelp(null);
      setNotice("We could not tell the staff. Please call the number on this page.");
    }
  };

  useEffect(() => {
    let socket: WebSocket | null = null;
    let stopped = false;
    let retry = 0;
    let timer: number | undefined;
    const open = () => {
      socket = new WebSocket(socketUrl(`/ws/join/${token}`));
      socket.onopen = () => {
        retry = 0;
        setConnected(true);
      };
      socket.onmessage = (event) => {
        const data = JSON.parse(event.data as string);
        if (data.type === "state") {
          setState(data as PageState);
          if (data.help) setHelp(data.help);
          if (data.message) setMessage(data.message);
          if (data.state === "ended") stopped = true;
        } else if (data.type === "message") {
          setMessage(data.text);
        } else if (data.type === "help") {
          setHelp({ state: data.state, by: data.by });
        }
      };
      socket.onclose = (event) => {
        if (stopped) return;
        // 4008: this link is open on newer screens; this page stops here, saying why.
        if (event.code === 4008) {
          stopped = true;
          setNotice(event.reason);
          setConnected(false);
          return;
        }
        // 1001: the service is restarting, and says so; the page reconnects by itself as always.
        setNotice(event.code === 1001 && event.reason ? event.reason : "Trying to connect again.");
        setConnected(false);
        // Reconnect forever, backing off to 10 s (jittered): the waiting page never times out.
        timer = window.setTimeout(open, retryDelayMs(retry++));
      };
    };
    open();
    return () => {
      stopped = true;
      window.clearTimeout(timer);
      socket?.close();
    };
  }, []);

  const [rules, setRules] = useState<Invite["guidelines"] | null>(null);
  useEffect(() => {
    if (!state?.needsAgreement) return setRules(null);
    void api<Invite>("GET", `/api/join/${token}`).then((fresh) => setRules(fresh.guidelines));
  }, [state?.needsAgreement]);

  if (rules) {
    return (
      <Rules
        invite={{ ...invite, guidelines: rules }}
        onAgree={() => void api("POST", `/api/join/${token}`, { agreedToGuidelines: true })}
      />
    );
  }

  const current = state?.state ?? "waiting";
  const admitted = current === "admitted" && state?.token && state.livekitUrl;
  const heading = admitted
    ? "You are in the group"
    : current === "refused"
      ? "You cannot join today"
      : current === "ended"
        ? state?.type === "state" && state.reasons?.[0]?.startsWith("This group is cancelled")
          ? "This group is cancelled"
          : "The group has finished"
        : "Waiting room";
  const Icon = current === "admitted" ? TickIcon : current === "refused" || current === "ended" ? StopIcon : ClockIcon;

  return (
    <>
      <h1 data-read>{heading}</h1>
      <p data-read>
        {invite.session.title}: {when(invite.session.startsAt)}.
      </p>
      <div
        data-read
        role="status"
        aria-live="polite"
        aria-atomic="true"
        className={`status ${current === "admitted" ? "good" : current === "refused" ? "bad" : ""}`}
      >
        <div className="row">
          <Icon label={words[current]} />
          <div>
            <p>
              <strong>{words[current]}</strong>
            </p>
            {(state?.reasons ?? []).map((reason) => (
              <p key={reason}>{reason}</p>
            ))}
            {current === "waiting" && !state && <p>Staff will let you in soon.</p>}
            {state?.seenBy && (current === "waiting" || current === "returned") && (
              <p>
                <strong>{state.seenBy} knows you are here.</strong>
              </p>
            )}
            {state?.recording && current !== "ended" && (
              <div className="row">
                <RecordingIcon label="Recording" size={36} />
                <p>
                  <strong>We are recording this video.</strong>
                </p>
              </div>
            )}
            {message && <p>Message from staff: {message}</p>}
            {!connected && <p>{notice}</p>}
          </div>
        </div>
      </div>
      {admitted ? (
        <Call serverUrl={state.livekitUrl!} token={state.token!} onLeave={onLeave} />
      ) : (
        current !== "ended" && current !== "refused" && <DeviceCheck />
      )}
      {(current === "waiting" || current === "returned") && (
        <div className="row">
          <LeadFace lead={invite.lead} />
          <p data-read>
            <strong>{invite.lead.firstName} will let you in.</strong>
          </p>
        </div>
      )}
      {current !== "ended" && invite.plan.length > 0 && <Plan plan={invite.plan} />}
      {current !== "ended" && <ReadToMe />}
      {current !== "ended" && <NeedHelp help={help} onAsk={() => void askForHelp()} />}
      {invite.recording.asked && current !== "ended" && current !== "refused" && <RecordingAnswer initial={invite.recording.agreed} />}
      {current !== "ended" && !admitted && (
        <div className="actions">
          <button type="button" className="warning" onClick={onLeave}>
            Leave
          </button>
        </div>
      )}
    </>
  );
}

/** The lead's photo, when they have put one up; a friendly picture of people otherwise. */
function LeadFace({ lead }: { lead: Invite["lead"] }) {
  const [failed, setFailed] = useState(false);
  if (!lead.photo || failed) return <PeopleIcon label="Staff" />;
  return (
    <img
      className="face"
      src={`/api/join/${token}/lead-photo`}
      alt={lead.firstName}
      width={96}
      height={96}
      onError={() => setFailed(true)}
    />
  );
}

/** The session's easy-read plan: numbered steps, each with its picture. */
function Plan({ plan }: { plan: Invite["plan"] }) {
  return (
    <section aria-labelledby="plan-heading" data-read>
      <h2 id="plan-heading">What we will do</h2>
      <ol className="plan">
        {plan.map((step) => (
          <li key={`${step.icon}-${step.text}`} className="row">
            <PlanIcon icon={step.icon} />
            <span>{step.text}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}

/**
 * "Read this to me": the page's main words (the elements marked data-read: the heading, where
 * they stand, who lets them in, the plan), read aloud by the browser's own speech synthesis;
 * nothing leaves the device.
 */
function ReadToMe() {
  if (typeof window.speechSynthesis === "undefined") return null;
  const read = () => {
    const words = [...document.querySelectorAll("[data-read]")].map((el) => el.textContent?.replace(/\s+/g, " ").trim()).join(". ");
    window.speechSynthesis.cancel();
    window.speechSynthesis.speak(new SpeechSynthesisUtterance(words));
  };
  return (
    <div className="actions">
      <button type="button" className="secondary" onClick={read}>
        Read this to me
      </button>
    </div>
  );
}

/** "I need help": a large button; then what happens, in words, announced as it changes. */
function NeedHelp({ help, onAsk }: { help: PageState["help"] | null; onAsk: () => void }) {
  return (
    <section aria-labelledby="need-help-heading" className="need-help">
      <h2 id="need-help-heading" className="visually-hidden">
        Ask for help
      </h2>
      <button type="button" className="big warning" onClick={onAsk}>
        I need help
      </button>
      <div role="status" aria-live="polite">
        {help?.state === "sent" && <p>We told the staff. Someone will help you soon.</p>}
        {help?.state === "answered" && <p>{help.by ?? "Staff"} is coming to help you.</p>}
      </div>
    </section>
  );
}

/** A volunteer says for themselves whether they may be recorded in this group (R4). */
function RecordingAnswer({ initial }: { initial: boolean | null }) {
  const [agreed, setAgreed] = useState(initial);
  const answer = async (yes: boolean) => {
    await api("POST", `/api/join/${token}/recording-consent`, { agreed: yes });
    setAgreed(yes);
  };
  return (
    <section aria-labelledby="recording-question">
      <h2 id="recording-question">Can we record you in this group?</h2>
      <p>
        {agreed === null
          ? "You have not said yet."
          : agreed
            ? "You said yes. You can change your mind."
            : "You said no. We will not record you."}
      </p>
      <div className="actions">
        <button type="button" onClick={() => void answer(true)} aria-pressed={agreed === true}>
          Yes, you can record me
        </button>
        <button type="button" onClick={() => void answer(false)} aria-pressed={agreed === false}>
          No, do not record me
        </button>
      </div>
    </section>
  );
}

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
