// Reports, for the DSL and admins: per month and group, sessions held, people who came, waits,
// refusals by rule, R3 waivers, calls for help and keep-apart refusals, drawn with Chart.js. Every
// chart's figures are also in the table below it (what a screen reader reads), and as CSV.
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  type ChartConfiguration,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from "chart.js";
import { useEffect, useMemo, useRef, useState } from "react";
import type { z } from "zod";
import type { report as reportSchema, Wire } from "../../../src/contract/api.ts";
import { api } from "../shared/api.ts";
import { useOnMount } from "../shared/use-on-mount.ts";
import { Notice, useAction } from "./use-action.tsx";

Chart.register(BarController, BarElement, LineController, LineElement, PointElement, CategoryScale, LinearScale, Legend, Tooltip);

type Report = Wire<z.infer<typeof reportSchema>>;
type Row = Report["rows"][number];

/** Colours with strong contrast against white and against each other. */
const palette = ["#0b5394", "#b45f06", "#38761d", "#741b47", "#cc0000", "#134f5c", "#7f6000", "#20124d"];

const thisMonth = () => new Date().toISOString().slice(0, 7);
const monthsBefore = (month: string, n: number) => {
  const [y, m] = month.split("-").map(Number) as [number, number];
  const d = new Date(Date.UTC(y, m - 1 - n, 1));
  return d.toISOString().slice(0, 7);
};
const minutes = (seconds: number | null) => (seconds === null ? null : Math.round((seconds / 60) * 10) / 10);
const waitWords = (seconds: number | null) => (seconds === null ? "—" : seconds < 60 ? `${seconds} s` : `${minutes(seconds)} min`);

/** One chart on a canvas, redrawn when its configuration changes; its words are in `label`. */
function ChartCanvas({ label, config }: { label: string; config: ChartConfiguration }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (!canvas.current) return;
    const chart = new Chart(canvas.current, config);
    return () => chart.destroy();
  }, [config]);
  return (
    <figure className="chart">
      <canvas ref={canvas} role="img" aria-label={`${label}. The same figures are in the table below.`} />
      <figcaption>{label}</figcaption>
    </figure>
  );
}

function bars(months: string[], series: { label: string; data: (number | null)[] }[], stacked = false): ChartConfiguration {
  return {
    type: "bar",
    data: { labels: months, datasets: series.map((s, i) => ({ ...s, backgroundColor: palette[i % palette.length] })) },
    options: {
      animation: false,
      responsive: true,
      scales: { x: { stacked }, y: { stacked, beginAtZero: true, ticks: { precision: 0 } } },
    },
  };
}

export function Reports() {
  const [to, setTo] = useState(thisMonth());
  const [from, setFrom] = useState(monthsBefore(thisMonth(), 11));
  const [group, setGroup] = useState("all");
  const [report, setReport] = useState<Report | null>(null);
  const load = async () => setReport(await api<Report>("GET", `/api/reports?from=${from}&to=${to}`));
  const { notice, act } = useAction(load);
  useOnMount(load);

  const groups = report ? [...new Map(report.rows.map((r) => [r.groupId ?? "one-off", r.group])).entries()] : [];
  const months = report?.totals.map((t) => t.month) ?? [];
  const shown: Row[] = report
    ? group === "all"
      ? report.totals
      : months.map(
          (m) =>
            report.rows.find((r) => r.month === m && (r.groupId ?? "one-off") === group) ?? {
              ...report.totals.find((t) => t.month === m)!,
              sessionsHeld: 0,
              peopleCame: 0,
              medianWaitSeconds: null,
              longestWaitSeconds: null,
              refusalsByRule: {},
              staffRefusals: 0,
              r3Waivers: 0,
              helpAlerts: 0,
              keepApartRefusals: 0,
            },
        )
    : [];
  // Made again only when the figures change, so the charts are not redrawn on every keystroke.
  const figures = JSON.stringify(shown);
  const charts = useMemo(() => chartConfigs(JSON.parse(figures) as Row[]), [figures]);

  return (
    <section aria-labelledby="reports-heading">
      <h1 id="reports-heading">Reports</h1>
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          void act(load);
        }}
      >
        <label>
          From <input type="month" value={from} onChange={(e) => setFrom(e.target.value)} required />
        </label>
        <label>
          To <input type="month" value={to} onChange={(e) => setTo(e.target.value)} required />
        </label>
        <label>
          Group{" "}
          <select value={group} onChange={(e) => setGroup(e.target.value)}>
            <option value="all">All groups</option>
            {groups.map(([id, title]) => (
              <option key={id} value={id}>
                {title}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">Show</button>
        <a className="button secondary" href={`/api/reports?from=${from}&to=${to}&format=csv`} download>
          Download CSV
        </a>
      </form>
      <Notice notice={notice} />
      {report && (
        <>
          <p>Months in the organisation's time zone ({report.timeZone}). Waits run from entering the waiting room to being let in.</p>
          <div className="charts">
            <ChartCanvas label="Sessions held and people who came, per month" config={charts.attendance} />
            <ChartCanvas label="Median and longest wait to be let in, in minutes, per month" config={charts.waits} />
            <ChartCanvas label="Admissions refused, by rule, per month" config={charts.refusals} />
            <ChartCanvas
              label="Safeguarding: R3 waivers, calls for help, keep-apart refusals, people refused by staff"
              config={charts.safeguarding}
            />
          </div>
          <table>
            <caption>{group === "all" ? "All groups" : groups.find(([id]) => id === group)?.[1]}, per month</caption>
            <thead>
              <tr>
                <th scope="col">Month</th>
                <th scope="col">Sessions held</th>
                <th scope="col">People who came</th>
                <th scope="col">Median wait</th>
                <th scope="col">Longest wait</th>
                <th scope="col">Refused, by rule</th>
                <th scope="col">Refused by staff</th>
                <th scope="col">R3 waivers</th>
                <th scope="col">Calls for help</th>
                <th scope="col">Keep-apart refusals</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((r) => (
                <tr key={r.month}>
                  <th scope="row">{r.month}</th>
                  <td>{r.sessionsHeld}</td>
                  <td>{r.peopleCame}</td>
                  <td>{waitWords(r.medianWaitSeconds)}</td>
                  <td>{waitWords(r.longestWaitSeconds)}</td>
                  <td>
                    {Object.entries(r.refusalsByRule)
                      .map(([rule, n]) => `${rule}: ${n}`)
                      .join(", ") || "none"}
                  </td>
                  <td>{r.staffRefusals}</td>
                  <td>{r.r3Waivers}</td>
                  <td>{r.helpAlerts}</td>
                  <td>{r.keepApartRefusals}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}

/** The four charts' configurations for the rows shown. */
function chartConfigs(shown: Row[]) {
  const months = shown.map((r) => r.month);
  const rules = [...new Set(shown.flatMap((r) => Object.keys(r.refusalsByRule)))].sort();
  return {
    attendance: bars(months, [
      { label: "Sessions held", data: shown.map((r) => r.sessionsHeld) },
      { label: "People who came", data: shown.map((r) => r.peopleCame) },
    ]),
    waits: {
      type: "line",
      data: {
        labels: months,
        datasets: [
          {
            label: "Median wait (minutes)",
            data: shown.map((r) => minutes(r.medianWaitSeconds)),
            borderColor: palette[0],
            backgroundColor: palette[0],
          },
          {
            label: "Longest wait (minutes)",
            data: shown.map((r) => minutes(r.longestWaitSeconds)),
            borderColor: palette[1],
            backgroundColor: palette[1],
          },
        ],
      },
      options: { animation: false, responsive: true, scales: { y: { beginAtZero: true } } },
    } satisfies ChartConfiguration,
    refusals: bars(
      months,
      rules.map((rule) => ({ label: rule, data: shown.map((r) => r.refusalsByRule[rule] ?? 0) })),
      true,
    ),
    safeguarding: bars(months, [
      { label: "R3 waivers", data: shown.map((r) => r.r3Waivers) },
      { label: "Calls for help", data: shown.map((r) => r.helpAlerts) },
      { label: "Keep-apart refusals", data: shown.map((r) => r.keepApartRefusals) },
      { label: "Refused by staff", data: shown.map((r) => r.staffRefusals) },
    ]),
  } as Record<"attendance" | "waits" | "refusals" | "safeguarding", ChartConfiguration>;
}
