/**
 * Heartbeat timeouts, in seconds: how long an activity may go without a heartbeat before Temporal counts
 * its worker as dead and retries it elsewhere. In their own module so workflows can read the defaults
 * without bundling the zod schemas.
 */

/** Jobs heartbeat every 5 s, so a worker that died (or lost its network) is noticed within a minute. */
export const defaultJobHeartbeatTimeoutSeconds = 60;
/** The judge heartbeats after every batch of judge calls. */
export const defaultJudgeHeartbeatTimeoutSeconds = 120;
/** Shortest accepted: twice the job heartbeat interval, so one slow beat is not a death. */
export const minHeartbeatTimeoutSeconds = 10;
