/** A delivery as an emulator recorded it: where it went, with which headers and body. */
export interface RecordedDelivery {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** Sends a recorded delivery again `times` times at once (a platform's retry racing itself); each answer's status and body status. */
export function redeliverAtOnce(delivery: RecordedDelivery, times: number): Promise<Array<[number, string]>> {
  return Promise.all(
    Array.from({ length: times }, () =>
      fetch(delivery.url, { method: 'POST', headers: delivery.headers, body: delivery.body }).then(async (r): Promise<[number, string]> => [r.status, ((await r.json()) as { status: string }).status]),
    ),
  );
}
