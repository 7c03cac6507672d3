// Signs the policy engine's TokenSpec as a LiveKit access token with livekit-server-sdk.
import { AccessToken, TrackSource } from "livekit-server-sdk";
import type { TrackSource as Source, TokenSpec } from "../../policy/grants.ts";

const sources: Record<Source, TrackSource> = {
  camera: TrackSource.CAMERA,
  microphone: TrackSource.MICROPHONE,
  screen_share: TrackSource.SCREEN_SHARE,
  screen_share_audio: TrackSource.SCREEN_SHARE_AUDIO,
};

export interface TokenMinter {
  mint(spec: TokenSpec): Promise<string>;
}

export function livekitTokens(apiKey: string, apiSecret: string): TokenMinter {
  return {
    async mint(spec) {
      const token = new AccessToken(apiKey, apiSecret, {
        identity: spec.identity,
        name: spec.name,
        ttl: spec.ttlSeconds,
        metadata: spec.metadata,
      });
      token.addGrant({ ...spec.grant, canPublishSources: spec.grant.canPublishSources.map((s) => sources[s]) });
      return token.toJwt();
    },
  };
}
