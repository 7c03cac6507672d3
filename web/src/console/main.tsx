// The staff console: sign in, then sessions, members, concerns, your photo and (for admins) settings.
import { StrictMode, useEffect, useState } from "react";
import { createRoot } from "react-dom/client";
import "./console.css";
import { type ApiError, api } from "../shared/api.ts";
import { Admin } from "./Admin.tsx";
import { Concerns } from "./Concerns.tsx";
import { Groups, GroupView } from "./Groups.tsx";
import { Members } from "./Members.tsx";
import { Reports } from "./Reports.tsx";
import { Safeguarding } from "./Safeguarding.tsx";
import { Sessions } from "./Sessions.tsx";
import { SessionView } from "./SessionView.tsx";
import type { Staff } from "./types.ts";
import { YourPhoto } from "./YourPhoto.tsx";

type Route =
  | { page: "sessions" }
  | { page: "session"; id: string }
  | { page: "groups" }
  | { page: "group"; id: string }
  | { page: "members" }
  | { page: "concerns" }
  | { page: "admin" }
  | { page: "safeguarding" }
  | { page: "reports" }
  | { page: "me" };

function parse(hash: string): Route {
  const [, page = "sessions", id = ""] = hash.replace(/^#/, "").split("/");
  if (page === "sessions" && id) return { page: "session", id };
  if (page === "groups") return id ? { page: "group", id } : { page: "groups" };
  if (page === "members" || page === "concerns" || page === "admin" || page === "safeguarding" || page === "reports" || page === "me")
    return { page };
  return { page: "sessions" };
}

/** What a new installation still needs (the first admin, a video server), said in words. */
function SetupAdvice() {
  const [advice, setAdvice] = useState<string[]>([]);
  useEffect(() => {
    api<{ advice: string[] }>("GET", "/api/setup").then(
      (r) => setAdvice(r.advice),
      () => setAdvice([]),
    );
  }, []);
  if (advice.length === 0) return null;
  return (
    <section className="notice bad" aria-label="Setting up">
      {advice.map((line) => (
        <p key={line}>{line}</p>
      ))}
    </section>
  );
}

function SignIn({ onSignedIn }: { onSignedIn: (s: Staff) => void }) {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  return (
    <main>
      <h1>Sign in</h1>
      <SetupAdvice />
      {error && (
        <p className="notice bad" role="alert">
          {error}
        </p>
      )}
      <form
        onSubmit={async (e) => {
          e.preventDefault();
          try {
            onSignedIn((await api<{ staff: Staff }>("POST", "/api/auth/login", { email, password })).staff);
          } catch (err) {
            setError((err as ApiError).message);
          }
        }}
      >
        <label htmlFor="email">Organisation e-mail</label>
        <input id="email" type="email" autoComplete="username" value={email} onChange={(e) => setEmail(e.target.value)} required />
        <label htmlFor="password">Password</label>
        <input
          id="password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          required
        />
        <div className="actions">
          <button type="submit">Sign in</button>
        </div>
      </form>
    </main>
  );
}

function App() {
  const [me, setMe] = useState<Staff | null | undefined>(undefined);
  const [route, setRoute] = useState<Route>(parse(location.hash));

  useEffect(() => {
    api<{ staff: Staff }>("GET", "/api/auth/me").then(
      (r) => setMe(r.staff),
      () => setMe(null),
    );
    const onHash = () => setRoute(parse(location.hash));
    window.addEventListener("hashchange", onHash);
    return () => window.removeEventListener("hashchange", onHash);
  }, []);

  if (me === undefined) return <p role="status">Loading.</p>;
  if (me === null) return <SignIn onSignedIn={setMe} />;
  const go = (hash: string) => {
    location.hash = hash;
  };
  const links: [string, string][] = [
    ["#/sessions", "Sessions"],
    ["#/groups", "Groups"],
    ["#/members", "Members"],
    ["#/concerns", "Concerns"],
    ...(me.roles.includes("dsl") || me.roles.includes("admin")
      ? ([
          ["#/safeguarding", "Safeguarding"],
          ["#/reports", "Reports"],
        ] as [string, string][])
      : []),
    ...(me.roles.includes("admin") ? ([["#/admin", "Settings and staff"]] as [string, string][]) : []),
    ["#/me", "Your photo"],
  ];

  return (
    <>
      <header className="top">
        <strong>Gatekeeper</strong>
        <nav aria-label="Console">
          <ul>
            {links.map(([href, label]) => (
              <li key={href}>
                <a href={href} aria-current={location.hash.startsWith(href) ? "page" : undefined}>
                  {label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <span>
          {me.name}{" "}
          <button
            type="button"
            className="secondary"
            onClick={async () => {
              await api("POST", "/api/auth/logout");
              setMe(null);
            }}
          >
            Sign out
          </button>
        </span>
      </header>
      <main>
        <SetupAdvice />
        {route.page === "sessions" && <Sessions open={(id) => go(`#/sessions/${id}`)} />}
        {route.page === "session" && <SessionView sessionId={route.id} me={me} />}
        {route.page === "groups" && <Groups open={(id) => go(`#/groups/${id}`)} />}
        {route.page === "group" && <GroupView groupId={route.id} openSession={(id) => go(`#/sessions/${id}`)} />}
        {route.page === "members" && <Members />}
        {route.page === "concerns" && <Concerns me={me} />}
        {route.page === "admin" && <Admin me={me} />}
        {route.page === "safeguarding" && <Safeguarding isDsl={me.roles.includes("dsl")} isAdmin={me.roles.includes("admin")} />}
        {route.page === "reports" && <Reports />}
        {route.page === "me" && <YourPhoto me={me} />}
      </main>
    </>
  );
}

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
