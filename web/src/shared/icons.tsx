// Simple pictures beside each instruction and state, each with words for screen readers.
type IconProps = { label: string; size?: number };

function Svg({ label, size = 48, children }: IconProps & { children: React.ReactNode }) {
  return (
    <svg className="icon" role="img" aria-label={label} width={size} height={size} viewBox="0 0 48 48" focusable="false">
      <title>{label}</title>
      {children}
    </svg>
  );
}

export const ClockIcon = (p: IconProps) => (
  <Svg {...p}>
    <circle cx="24" cy="24" r="20" fill="#fff4c2" stroke="#5a4500" strokeWidth="3" />
    <path d="M24 12v13l9 6" fill="none" stroke="#5a4500" strokeWidth="4" strokeLinecap="round" />
  </Svg>
);

export const TickIcon = (p: IconProps) => (
  <Svg {...p}>
    <circle cx="24" cy="24" r="20" fill="#d6f5dd" stroke="#0b5d1e" strokeWidth="3" />
    <path d="M14 25l7 7 13-15" fill="none" stroke="#0b5d1e" strokeWidth="5" strokeLinecap="round" strokeLinejoin="round" />
  </Svg>
);

export const StopIcon = (p: IconProps) => (
  <Svg {...p}>
    <circle cx="24" cy="24" r="20" fill="#fde2e2" stroke="#8a1c1c" strokeWidth="3" />
    <path d="M16 16l16 16M32 16L16 32" stroke="#8a1c1c" strokeWidth="5" strokeLinecap="round" />
  </Svg>
);

export const PhoneIcon = (p: IconProps) => (
  <Svg {...p}>
    <rect x="14" y="4" width="20" height="40" rx="4" fill="#e3ecff" stroke="#1d3b8a" strokeWidth="3" />
    <circle cx="24" cy="37" r="2.5" fill="#1d3b8a" />
  </Svg>
);

export const PeopleIcon = (p: IconProps) => (
  <Svg {...p}>
    <circle cx="16" cy="17" r="7" fill="#e3ecff" stroke="#1d3b8a" strokeWidth="3" />
    <circle cx="33" cy="17" r="7" fill="#e3ecff" stroke="#1d3b8a" strokeWidth="3" />
    <path d="M4 42c0-9 6-14 12-14s12 5 12 14M21 42c0-9 6-14 12-14s11 5 11 14" fill="none" stroke="#1d3b8a" strokeWidth="3" />
  </Svg>
);

export const CameraIcon = (p: IconProps) => (
  <Svg {...p}>
    <rect x="4" y="14" width="28" height="22" rx="4" fill="#e3ecff" stroke="#1d3b8a" strokeWidth="3" />
    <path d="M32 22l12-7v20l-12-7z" fill="#e3ecff" stroke="#1d3b8a" strokeWidth="3" strokeLinejoin="round" />
  </Svg>
);

export const RulesIcon = (p: IconProps) => (
  <Svg {...p}>
    <rect x="8" y="4" width="32" height="40" rx="3" fill="#fff" stroke="#1d3b8a" strokeWidth="3" />
    <path d="M15 16h18M15 24h18M15 32h12" stroke="#1d3b8a" strokeWidth="3" strokeLinecap="round" />
  </Svg>
);

export const RecordingIcon = (p: IconProps) => (
  <Svg {...p}>
    <circle cx="24" cy="24" r="20" fill="#fff" stroke="#8a1c1c" strokeWidth="3" />
    <circle cx="24" cy="24" r="10" fill="#c62828" />
  </Svg>
);

/** The pictures of a session's plan (a fixed set): simple shapes, each named for screen readers. */
const planGlyphs: Record<string, React.ReactNode> = {
  hello: <path d="M16 30c0-8 4-14 8-14s8 6 8 14M20 14l-4-6M28 14l4-6" fill="none" stroke="#1d3b8a" strokeWidth="3" strokeLinecap="round" />,
  talk: <path d="M10 14h28v16H22l-8 6v-6h-4z" fill="#e3ecff" stroke="#1d3b8a" strokeWidth="3" strokeLinejoin="round" />,
  make: <path d="M12 36l18-18 6 6-18 18H12zM30 18l4-4 6 6-4 4" fill="#fff4c2" stroke="#5a4500" strokeWidth="3" strokeLinejoin="round" />,
  music: <path d="M18 34V12l18-4v22M18 34a4 4 0 1 1-4-4M36 30a4 4 0 1 1-4-4" fill="none" stroke="#1d3b8a" strokeWidth="3" />,
  move: (
    <path d="M24 8v10M24 18l-8 8M24 18l8 8M24 18v12l-6 10M24 30l6 10" fill="none" stroke="#0b5d1e" strokeWidth="3" strokeLinecap="round" />
  ),
  break: <path d="M12 18h20v12a8 8 0 0 1-8 8h-4a8 8 0 0 1-8-8zM32 22h4a4 4 0 0 1 0 8h-4" fill="#fff4c2" stroke="#5a4500" strokeWidth="3" />,
  goodbye: <path d="M14 24h20M28 16l8 8-8 8" fill="none" stroke="#1d3b8a" strokeWidth="4" strokeLinecap="round" strokeLinejoin="round" />,
};

const planIconWords: Record<string, string> = {
  hello: "Saying hello",
  talk: "Talking",
  make: "Making something",
  music: "Music",
  move: "Moving",
  break: "A break",
  goodbye: "Saying goodbye",
};

export const PlanIcon = ({ icon, size = 40 }: { icon: string; size?: number }) => (
  <Svg label={planIconWords[icon] ?? icon} size={size}>
    {planGlyphs[icon]}
  </Svg>
);
