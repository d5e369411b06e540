/** For bundleWorkflowCode: webpack's chatter off, its warnings and errors kept. */
export const quietBundlerLogger = {
  log: () => {},
  trace: () => {},
  debug: () => {},
  info: () => {},
  warn: (message: string) => console.warn(message),
  error: (message: string) => console.error(message),
};
