import { useEffect, useRef } from "react";

/** Runs once when the component mounts (loading its data), with the latest function. */
export function useOnMount(fn: () => unknown): void {
  const latest = useRef(fn);
  latest.current = fn;
  useEffect(() => {
    void latest.current();
  }, []);
}
