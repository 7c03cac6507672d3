// LiveKit's Egress service, through livekit-server-sdk's EgressClient: record a room (room
// composite, to a file LiveKit's egress storage writes), stop it, list a room's egresses. Nothing
// here decides anything: the gatekeeper asks only once the policy engine has allowed it.
import { EgressClient, type EgressInfo, EgressStatus, EncodedFileOutput, EncodedFileType } from "livekit-server-sdk";
import type { RecordingStatus } from "../../contract/vocabulary.ts";
import { httpUrl } from "./rooms.ts";

export interface Egress {
  egressId: string;
  roomName: string;
  status: RecordingStatus;
  /** Where the file was written, once LiveKit says. */
  location: string | null;
  error: string | null;
}

export interface RoomRecorder {
  start(roomName: string): Promise<Egress>;
  /** Stops an egress; one that already ended (or LiveKit lost) is not an error: its state is returned. */
  stop(egressId: string): Promise<Egress>;
  list(roomName: string): Promise<Egress[]>;
}

/** LiveKit's egress states in the gatekeeper's words; aborted and limit-reached are failures. */
export function egressOf(info: EgressInfo): Egress {
  const status: RecordingStatus =
    (
      {
        [EgressStatus.EGRESS_STARTING]: "starting",
        [EgressStatus.EGRESS_ACTIVE]: "active",
        [EgressStatus.EGRESS_ENDING]: "ending",
        [EgressStatus.EGRESS_COMPLETE]: "complete",
      } as Partial<Record<EgressStatus, RecordingStatus>>
    )[info.status] ?? "failed";
  const file = info.fileResults[0];
  return {
    egressId: info.egressId,
    roomName: info.roomName,
    status,
    location: file ? file.location || file.filename || null : null,
    error: info.error || null,
  };
}

function twirpCode(err: unknown): string | undefined {
  return typeof err === "object" && err !== null && "code" in err ? String((err as { code: unknown }).code) : undefined;
}

export function livekitRecorder(
  url: string,
  apiKey: string,
  apiSecret: string,
  output: { filepath: string; fileType: "mp4" | "ogg" },
  timeoutSeconds = 10,
): RoomRecorder {
  const client = new EgressClient(httpUrl(url), apiKey, apiSecret, { requestTimeout: timeoutSeconds });
  const fileType = output.fileType === "ogg" ? EncodedFileType.OGG : EncodedFileType.MP4;
  return {
    async start(roomName) {
      const file = new EncodedFileOutput({ fileType, filepath: output.filepath });
      return egressOf(await client.startRoomCompositeEgress(roomName, { file }));
    },
    async stop(egressId) {
      try {
        return egressOf(await client.stopEgress(egressId));
      } catch (err) {
        // Already ended: LiveKit refuses to stop it again; its state says how it ended.
        if (twirpCode(err) === "failed_precondition") {
          const [info] = await client.listEgress({ egressId });
          if (info) return egressOf(info);
        }
        if (twirpCode(err) === "not_found")
          return { egressId, roomName: "", status: "failed", location: null, error: "LiveKit does not know this recording." };
        throw err;
      }
    },
    async list(roomName) {
      return (await client.listEgress({ roomName })).map(egressOf);
    },
  };
}
