/** The four states an integration can be in, as stored and as the API shows them. Pure: safe in workflows. */
export const IntegrationStatus = {
  Connected: 'connected',
  Disconnected: 'disconnected',
  Error: 'error',
  ReconnectRequired: 'reconnect_required',
} as const;

export type IntegrationStatus = (typeof IntegrationStatus)[keyof typeof IntegrationStatus];

export const integrationStatusLabel: Record<IntegrationStatus, { label: string; colour: 'green' | 'grey' | 'red' | 'amber' }> = {
  connected: { label: 'Connected', colour: 'green' },
  disconnected: { label: 'Disconnected', colour: 'grey' },
  error: { label: 'Error', colour: 'red' },
  reconnect_required: { label: 'Reconnect required', colour: 'amber' },
};
