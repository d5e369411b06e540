/**
 * How `npm start` wires its dev server's Temporal UI to the API's codec endpoint (README, "Encrypted Temporal
 * payloads"); the browser test of that flow wires its own dev server through the same function.
 */
export interface TemporalUiCodecWiring {
  /** `--ui-codec-endpoint` of the dev server: the API's codec server. */
  uiCodecEndpoint: string;
  /** The UI's origins, which the codec endpoint's CORS lets call it from a browser. */
  uiOrigins: string[];
}

export function temporalUiCodecWiring(publicBaseUrl: string, uiPort: number): TemporalUiCodecWiring {
  return {
    uiCodecEndpoint: `${publicBaseUrl.replace(/\/+$/, '')}/codec`,
    uiOrigins: [`http://127.0.0.1:${uiPort}`, `http://localhost:${uiPort}`],
  };
}
