import { ScheduleNotFoundError, type Client } from '@temporalio/client';

/** Deletes a Temporal Schedule; false when there was none (deleting twice is harmless). */
export async function deleteScheduleIfPresent(client: Client, scheduleId: string): Promise<boolean> {
  try {
    await client.schedule.getHandle(scheduleId).delete();
    return true;
  } catch (error) {
    if (error instanceof ScheduleNotFoundError) return false;
    throw error;
  }
}
