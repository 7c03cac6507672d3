// /carer/<token>: the carer's page. What the session is and when, the carer terms, and one
// question ("Is Alex with you?") with Yes / No. Errors follow the GOV.UK pattern: a summary that
// takes focus, nothing chosen is cleared. Success says clearly what happens next.
import { StrictMode, useEffect, useRef, useState } from "react";
import { createRoot } from "react-dom/client";
import "../shared/easy.css";
import type { z } from "zod";
import type { carerLink, Wire } from "../../../src/contract/api.ts";
import { ApiError, api, tokenFromPath, when } from "../shared/api.ts";
import { Help } from "../shared/Help.tsx";
import { ClockIcon, RecordingIcon, RulesIcon, StopIcon, TickIcon } from "../shared/icons.tsx";
import { useOnMount } from "../shared/use-on-mount.ts";

/** What the carer link answers, as the service's contract declares it. */
type CarerLink = Wire<z.infer<typeof carerLink>>;

const token = tokenFromPath();

function App() {
  const [link, setLink] = useState<CarerLink | null>(null);
  const [problem, setProblem] = useState<{ heading: string; text: string } | null>(null);

  const load = async () => {
    try {
      setLink(await api<CarerLink>("GET", `/api/carer/${token}`));
    } catch (err) {
      if (err instanceof ApiError && err.status === 410) setProblem({ heading: "This group has finished", text: err.message });
      else setProblem({ heading: "This link does not work", text: "Please ask staff for a new link." });
    }
  };
  useOnMount(load);

  return (
    <main>
      {!link && !problem && <p role="status">Loading your page.</p>}
      {problem && (
        <>
          <h1>{problem.heading}</h1>
          <div className="row status bad" role="status">
            <StopIcon label="Stop" />
            <p>{problem.text}</p>
          </div>
        </>
      )}
      {link && <Question link={link} onChange={load} />}
      {link && link.session.status !== "ended" && <SomethingWrong />}
      <Help contact={link?.session.emergencyContact ?? null} />
    </main>
  );
}

function Question({ link, onChange }: { link: CarerLink; onChange: () => Promise<void> }) {
  const name = link.member.displayName;
  const [answer, setAnswer] = useState<"yes" | "no" | "">("");
  const [agreed, setAgreed] = useState(false);
  const [errors, setErrors] = useState<{ field: string; text: string }[]>([]);
  const [done, setDone] = useState<"confirmed" | "withdrawn" | null>(
    link.confirmation ? (link.confirmation.present ? "confirmed" : "withdrawn") : null,
  );
  const summary = useRef<HTMLDivElement>(null);
  const result = useRef<HTMLHeadingElement>(null);

  // The summary takes focus when Continue finds problems, not when answering clears one of them.
  const [attempts, setAttempts] = useState(0);
  useEffect(() => {
    if (attempts) summary.current?.focus();
  }, [attempts]);
  useEffect(() => {
    if (done) result.current?.focus();
  }, [done]);

  // An error goes as soon as the person answers what it asked.
  const clearError = (field: string) => setErrors((list) => list.filter((e) => e.field !== field));
  const choose = (value: "yes" | "no") => {
    setAnswer(value);
    clearError("answer-yes");
    if (value === "no") clearError("agree");
  };

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    const found: { field: string; text: string }[] = [];
    if (!answer) found.push({ field: "answer-yes", text: `Choose yes or no: is ${name} with you?` });
    if (answer === "yes" && !agreed) found.push({ field: "agree", text: "Tick the box to agree to the carer rules." });
    setErrors(found);
    if (found.length) {
      setAttempts((n) => n + 1);
      return;
    }
    try {
      if (answer === "yes") {
        await api("POST", `/api/carer/${token}/confirm`, { present: true, agreedToTerms: true });
        setDone("confirmed");
      } else {
        await api("POST", `/api/carer/${token}/withdraw`);
        setDone("withdrawn");
      }
      await onChange();
    } catch (err) {
      setErrors([{ field: "answer-yes", text: err instanceof ApiError ? err.message : "Something went wrong. Please try again." }]);
      setAttempts((n) => n + 1);
    }
  };

  const withdraw = async () => {
    await api("POST", `/api/carer/${token}/withdraw`);
    setDone("withdrawn");
    setAnswer("");
    await onChange();
  };

  if (done === "confirmed") {
    return (
      <>
        <h1 ref={result} tabIndex={-1}>
          Thank you
        </h1>
        <div className="row status good" role="status">
          <TickIcon label="Done" />
          <p>You said you are with {name}.</p>
        </div>
        <h2>What happens next</h2>
        <p>
          Staff will let {name} into {link.session.title}.
        </p>
        <p>Please stay close by until the group ends.</p>
        <Recording recording={link.recording} />
        <div className="actions">
          <button type="button" className="secondary" onClick={withdraw}>
            I am not with {name} now
          </button>
        </div>
      </>
    );
  }

  return (
    <>
      {errors.length > 0 && (
        <div className="error-summary" role="alert" aria-labelledby="error-summary-title" tabIndex={-1} ref={summary}>
          <h2 id="error-summary-title">There is a problem</h2>
          <ul>
            {errors.map((e) => (
              <li key={e.text}>
                <a href={`#${e.field}`}>{e.text}</a>
              </li>
            ))}
          </ul>
        </div>
      )}
      {done === "withdrawn" && (
        <div className="row status bad" role="status">
          <StopIcon label="Not with them" />
          <p>
            You said you are not with {name}. Staff will not let {name} in.
          </p>
        </div>
      )}
      <form onSubmit={submit} noValidate>
        <fieldset>
          {/* One question, asked once: the legend is the page's heading (the GOV.UK pattern). */}
          <legend>
            <h1>Is {name} with you?</h1>
          </legend>
          <div className="row">
            <ClockIcon label="When" />
            <p>
              {link.session.title}: {when(link.session.startsAt)}.
            </p>
          </div>
          <Recording recording={link.recording} />
          <label className="choice" htmlFor="answer-yes">
            <input type="radio" id="answer-yes" name="answer" value="yes" checked={answer === "yes"} onChange={() => choose("yes")} />
            Yes, I am with {name}
          </label>
          <label className="choice" htmlFor="answer-no">
            <input type="radio" id="answer-no" name="answer" value="no" checked={answer === "no"} onChange={() => choose("no")} />
            No
          </label>
        </fieldset>
        {answer === "yes" && (
          <>
            <div className="row">
              <RulesIcon label="Rules" />
              <h2>Carer rules</h2>
            </div>
            <ul>
              {link.terms.lines.map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
            {errors.some((e) => e.field === "agree") && (
              <p className="error-message" id="agree-error">
                <span className="visually-hidden">Error:</span> Tick the box to agree to the carer rules.
              </p>
            )}
            <label className="choice" htmlFor="agree">
              <input
                type="checkbox"
                id="agree"
                checked={agreed}
                onChange={(e) => {
                  setAgreed(e.target.checked);
                  if (e.target.checked) clearError("agree");
                }}
                aria-describedby={errors.some((e) => e.field === "agree") ? "agree-error" : undefined}
              />
              I agree to the carer rules
            </label>
          </>
        )}
        <div className="actions">
          <button type="submit">Continue</button>
        </div>
      </form>
    </>
  );
}

/** "Something is wrong": the session's staff are alerted at once. */
function SomethingWrong() {
  const [sent, setSent] = useState<"no" | "sent" | "failed">("no");
  const send = async () => {
    try {
      await api("POST", `/api/carer/${token}/help`);
      setSent("sent");
    } catch {
      setSent("failed");
    }
  };
  return (
    <section aria-labelledby="wrong-heading">
      <h2 id="wrong-heading">Something is wrong?</h2>
      <button type="button" className="warning" onClick={() => void send()}>
        Something is wrong: tell the staff
      </button>
      <div role="status" aria-live="polite">
        {sent === "sent" && <p>We told the staff. Someone will help you soon.</p>}
        {sent === "failed" && <p>We could not tell the staff. Please call the number on this page.</p>}
      </div>
    </section>
  );
}

/** R4: whether the group may be recorded while the member is in it, and whether it is now. */
function Recording({ recording }: { recording: CarerLink["recording"] }) {
  return (
    <div className="row">
      <RecordingIcon label="Recording" size={36} />
      <p>
        {recording.words}
        {recording.now ? " Staff are recording the group now." : ""}
      </p>
    </div>
  );
}

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
