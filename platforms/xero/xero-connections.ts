import { readXeroFailure } from './xero-failure.js';
import { translateXeroFailure, xeroCredentialsRejected } from './xero-error-translation.js';
import type { XeroApi } from './xero-api.js';

export interface XeroConnection {
  id: string;
  tenantId: string;
  tenantName: string | null;
  authEventId?: string;
  updatedDateUtc?: string;
}

/** GET /connections through xero-node's updateTenants (without its per-tenant organisation calls), one refresh on 401. */
export async function listConnections(api: XeroApi): Promise<XeroConnection[]> {
  let token = await api.tokens.getAccessToken();
  for (let attempt = 0; ; attempt++) {
    try {
      return (await api.sdkClient(token).updateTenants(false)) as XeroConnection[];
    } catch (raw) {
      const failure = readXeroFailure(raw);
      if (failure.status === 401 && attempt === 0) {
        const refreshed = await api.tokens.refreshAfterRejection(token);
        if (refreshed === null) throw xeroCredentialsRejected(failure);
        token = refreshed;
        continue;
      }
      throw translateXeroFailure(failure, { subject: 'the connection check', organisation: 'this organisation' }, 60_000);
    }
  }
}
