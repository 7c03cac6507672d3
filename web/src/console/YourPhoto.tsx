// Your photo: the face the people waiting for your sessions see beside "Sam will let you in.".
// The service makes it small and square and removes what the camera stored in the file.
import { useCallback, useEffect, useRef, useState } from "react";
import { api } from "../shared/api.ts";
import type { Staff } from "./types.ts";
import { Notice, useAction } from "./use-action.tsx";

export function YourPhoto({ me }: { me: Staff }) {
  const [shown, setShown] = useState<string | null>(null);
  const file = useRef<HTMLInputElement>(null);

  const load = useCallback(async () => {
    const res = await fetch(`/api/staff/${me.id}/photo`, { credentials: "same-origin" });
    const url = res.ok ? URL.createObjectURL(await res.blob()) : null;
    setShown((old) => {
      if (old) URL.revokeObjectURL(old);
      return url;
    });
  }, [me.id]);
  const { notice, setNotice, act } = useAction(load);
  useEffect(() => {
    void load();
  }, [load]);

  const upload = async (e: React.FormEvent) => {
    e.preventDefault();
    const chosen = file.current?.files?.[0];
    if (!chosen) return setNotice({ text: "Choose a photo first.", bad: true });
    if (
      (await act(() => api("PUT", "/api/staff/me/photo", chosen), "Your photo is saved. People waiting for your sessions will see it.")) &&
      file.current
    )
      file.current.value = "";
  };

  return (
    <section aria-labelledby="photo-heading">
      <h1 id="photo-heading">Your photo</h1>
      <p>
        People waiting for your sessions see it beside "{me.name.split(" ")[0]} will let you in.". Use a clear, friendly photo of your face.
        It is made small, and what the camera stored in the file (where and when it was taken) is removed.
      </p>
      {shown ? (
        <img className="face" src={shown} alt="You, as people waiting see you" width={128} height={128} />
      ) : (
        <p>You have no photo yet. People waiting see a picture of people instead.</p>
      )}
      <form onSubmit={upload}>
        <label htmlFor="photo-file">Choose a photo (JPEG, PNG or WebP, up to 5 MB)</label>
        <input id="photo-file" ref={file} type="file" accept="image/jpeg,image/png,image/webp" />
        <div className="actions">
          <button type="submit">Save photo</button>
          {shown && (
            <button
              type="button"
              className="secondary"
              onClick={() => void act(() => api("DELETE", "/api/staff/me/photo"), "Your photo is removed.")}
            >
              Remove my photo
            </button>
          )}
        </div>
      </form>
      <Notice notice={notice} />
    </section>
  );
}
