// The video call, built from LiveKit's own components: everyone's video, your own camera, and
// big microphone, camera and leave buttons. Used by the member's page and by the console.
import "@livekit/components-styles";
import { GridLayout, LiveKitRoom, ParticipantTile, RoomAudioRenderer, TrackToggle, useTracks } from "@livekit/components-react";
import { Track } from "livekit-client";

function Tiles() {
  const tracks = useTracks([{ source: Track.Source.Camera, withPlaceholder: true }], { onlySubscribed: false });
  return (
    <GridLayout tracks={tracks}>
      <ParticipantTile />
    </GridLayout>
  );
}

export interface CallProps {
  serverUrl: string;
  token: string;
  onLeave: () => void;
  /** Staff may share their screen; members publish only camera and microphone. */
  staff?: boolean;
}

export function Call({ serverUrl, token, onLeave, staff = false }: CallProps) {
  return (
    <section className="call" aria-label="Video call" data-lk-theme="default">
      <LiveKitRoom serverUrl={serverUrl} token={token} connect video audio onDisconnected={() => undefined}>
        <Tiles />
        <RoomAudioRenderer />
        <div className="call-controls">
          <TrackToggle source={Track.Source.Microphone}>Microphone</TrackToggle>
          <TrackToggle source={Track.Source.Camera}>Camera</TrackToggle>
          {staff && <TrackToggle source={Track.Source.ScreenShare}>Share screen</TrackToggle>}
          <button type="button" className="warning" onClick={onLeave}>
            Leave
          </button>
        </div>
      </LiveKitRoom>
    </section>
  );
}
