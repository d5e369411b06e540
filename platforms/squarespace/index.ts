export { createSquarespacePlatform, type SquarespacePlatform, type SquarespacePlatformConfig, type SquarespaceWebhookCheck } from './squarespace-platform.js';
export { squarespaceRegistration } from './registration.js';
export { squarespaceEndpointsAt, SQUARESPACE_ENDPOINTS, type SquarespaceEndpoints } from './endpoints.js';
export { SQUARESPACE_WEBHOOK_PATH, SQUARESPACE_WEBHOOK_TOPICS, squarespaceWebhookAddress } from './squarespace-webhooks.js';
export { SQUARESPACE_USER_AGENT } from './squarespace-client.js';
export type { SquarespaceNotification } from './webhook-verification.js';
