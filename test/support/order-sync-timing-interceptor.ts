import type { WorkflowClientInterceptor } from '@temporalio/client';
import type { OrderSyncInput, OrderSyncTiming } from '../../workflows/order-sync.js';

/**
 * Gives every order sync this client starts the test's timings, whoever starts it (a webhook through the API's
 * intake, an operator's retry), as startTimedSync does for a sync the test starts itself. Timings the start
 * already carries win. The workflow reads its timings from its input, so the product's code runs unchanged.
 */
export function orderSyncTimingInterceptor(timing: Partial<OrderSyncTiming>): WorkflowClientInterceptor {
  return {
    startWithDetails: (input, next) => {
      if (input.workflowType !== 'orderSyncWorkflow') return next(input);
      const [first, ...rest] = input.options.args as [OrderSyncInput, ...unknown[]];
      const args = [{ ...first, timing: { ...timing, ...first.timing } }, ...rest];
      return next({ ...input, options: { ...input.options, args } });
    },
  };
}
