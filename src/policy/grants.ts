// What a token may grant (SPEC §6): least privilege for members and volunteers, room admin for
// staff. Pure: the LiveKit adapter turns a TokenSpec into a signed token.

export type TrackSource = "camera" | "microphone" | "screen_share" | "screen_share_audio";

export interface RoomGrant {
  room: string;
  roomJoin: true;
  canSubscribe: true;
  canPublish: true;
  canPublishSources: TrackSource[];
  canPublishData: boolean;
  roomAdmin: boolean;
  canUpdateOwnMetadata: false;
  hidden: false;
}

export interface TokenSpec {
  identity: string;
  name: string;
  ttlSeconds: number;
  grant: RoomGrant;
  /** Opaque ids only (R9); lets the gatekeeper tell which admission a participant holds. */
  metadata: string;
}

/** A reconnect gets a fresh token through the open waiting page, so ten minutes is plenty. */
export const attendeeTokenTtlSeconds = 600;
const staffTokenTtlSeconds = 3600;
export const staffIdentityPrefix = "staff:";

export function attendeeToken(a: {
  attendeeId: string;
  displayName: string;
  room: string;
  allowData: boolean;
  admissionSeq: number;
}): TokenSpec {
  return {
    identity: a.attendeeId,
    name: a.displayName,
    ttlSeconds: attendeeTokenTtlSeconds,
    metadata: JSON.stringify({ admission: a.admissionSeq }),
    grant: {
      room: a.room,
      roomJoin: true,
      canSubscribe: true,
      canPublish: true,
      canPublishSources: ["camera", "microphone"],
      canPublishData: a.allowData,
      roomAdmin: false,
      canUpdateOwnMetadata: false,
      hidden: false,
    },
  };
}

export function staffToken(s: { staffId: string; name: string; room: string }): TokenSpec {
  return {
    identity: `${staffIdentityPrefix}${s.staffId}`,
    name: s.name,
    ttlSeconds: staffTokenTtlSeconds,
    metadata: JSON.stringify({ staff: true }),
    grant: {
      room: s.room,
      roomJoin: true,
      canSubscribe: true,
      canPublish: true,
      canPublishSources: ["camera", "microphone", "screen_share", "screen_share_audio"],
      canPublishData: true,
      roomAdmin: true,
      canUpdateOwnMetadata: false,
      hidden: false,
    },
  };
}
