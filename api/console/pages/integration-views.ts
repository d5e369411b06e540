import type { IntegrationHealthRow } from '../../../runtime/integration-health-views.js';
import type { HealthCheckOutcome } from '../../../workflows/integration-health.js';
import { integrationStatusLabel } from '../../../domain/integration-status.js';
import { redactSecrets } from '../../../security/redact-secrets.js';
import { html, type SafeHtml } from '../html.js';
import { statusBadge, timeText } from '../layout.js';
import { CONSOLE_PREFIX } from '../console-paths.js';

export const integrationPath = (id: string) => `${CONSOLE_PREFIX}/integrations/${encodeURIComponent(id)}`;

const checkLabels: Record<string, string> = {
  oauth_connected: 'Authorized',
  token_fresh: 'Access token fresh',
  scopes_granted: 'Permissions granted',
  test_call: 'Test call answered',
  webhooks_subscribed: 'Order webhooks subscribed',
};

/** The Health column: status in words and colour, why, and when it was last checked. Refreshed live by the page's script. */
export function healthCell(row: Pick<IntegrationHealthRow, 'statusLabel' | 'colour' | 'reason' | 'lastCheckAt'>): SafeHtml {
  return html`${statusBadge(row.statusLabel, row.colour)}
${row.reason ? html`<span class="reason">${row.reason}</span>` : ''}
<span class="when">Last check: ${timeText(row.lastCheckAt)}</span>`;
}

/** The results of a check that ran just now (the answer to "Check health"). */
export function checkOutcomeView(displayName: string, outcome: HealthCheckOutcome): SafeHtml {
  const look = integrationStatusLabel[outcome.status];
  return html`<div class="check-outcome" data-testid="check-outcome">
<p><strong>${displayName}</strong> checked ${timeText(outcome.checkedAt)}: ${statusBadge(look.label, look.colour)}${outcome.reason ? html` <span class="reason">${redactSecrets(outcome.reason)}</span>` : ''}</p>
<ul class="checks">${outcome.results.map(
    (result) =>
      html`<li class="${result.ok ? 'ok' : 'failed'}"><span class="mark" aria-hidden="true">${result.ok ? '✓' : '✗'}</span> <strong>${checkLabels[result.check] ?? result.check}</strong>: ${result.ok ? 'passed' : 'failed'} — ${redactSecrets(result.message)}</li>`,
  )}</ul>
</div>`;
}
