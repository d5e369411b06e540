/** The console account `npm start` creates in demo mode (the screenshots script signs in with it). Demo only. */
export const DEMO_OPERATOR = { email: 'demo@example.com', password: 'demo-console-password' } as const;
