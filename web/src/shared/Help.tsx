// R12: whom to contact in an emergency, in the same place on every page.
import type { z } from "zod";
import type { emergencyContact } from "../../../src/contract/api.ts";
import { PhoneIcon } from "./icons.tsx";

export type EmergencyContact = z.infer<typeof emergencyContact>;

export function Help({ contact }: { contact: EmergencyContact | null }) {
  if (!contact) return null;
  return (
    <aside className="help" aria-labelledby="help-heading">
      <h2 id="help-heading">Need help?</h2>
      <div className="row">
        <PhoneIcon label="Phone" />
        <p>
          {contact.phone ? (
            <>
              Call {contact.name} on <a href={`tel:${contact.phone.replace(/\s/g, "")}`}>{contact.phone}</a>.
            </>
          ) : (
            <>Ask {contact.name} for help.</>
          )}
        </p>
      </div>
    </aside>
  );
}
