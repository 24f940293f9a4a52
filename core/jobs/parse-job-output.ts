import { z } from 'zod';

/** The prefix of a metric line printed by a training program. */
export const metricLinePrefix = 'PANDASWEEP_METRIC ';
/** The prefix of a checkpoint line printed by a training program. */
export const checkpointLinePrefix = 'PANDASWEEP_CHECKPOINT ';

/**
 * A `PANDASWEEP_METRIC` payload: a non-negative integer `step` and any number of finite numeric values
 * (`loss`, `learning_rate`, ...). Non-numeric fields are dropped rather than rejected so a program may
 * log extra context without losing its metrics.
 */
export const metricPayloadSchema = z
  .object({ step: z.number().int().nonnegative() })
  .catchall(z.unknown())
  .transform(({ step, ...rest }) => {
    const values: Record<string, number> = {};
    for (const [name, value] of Object.entries(rest)) {
      if (typeof value === 'number' && Number.isFinite(value)) values[name] = value;
    }
    return { step, values };
  });
export type MetricPayload = z.infer<typeof metricPayloadSchema>;

/** A `PANDASWEEP_CHECKPOINT` payload: the step and the checkpoint's path. */
export const checkpointPayloadSchema = z.object({
  step: z.number().int().nonnegative(),
  path: z.string().min(1),
});
export type CheckpointPayload = z.infer<typeof checkpointPayloadSchema>;

/** What one line of job output means to pandasweep. */
export type JobOutputLine =
  | { readonly kind: 'metric'; readonly metric: MetricPayload }
  | { readonly kind: 'checkpoint'; readonly checkpoint: CheckpointPayload }
  | { readonly kind: 'invalid'; readonly prefix: string; readonly message: string }
  | { readonly kind: 'text' };

/**
 * Classifies one line of a job's stdout: a metric, a checkpoint, a malformed marker line (with why) or
 * plain text. A marker must start the line; surrounding whitespace and a trailing `\r` are ignored.
 */
export function parseJobOutputLine(line: string): JobOutputLine {
  const trimmed = line.trim();
  const prefix = trimmed.startsWith(metricLinePrefix)
    ? metricLinePrefix
    : trimmed.startsWith(checkpointLinePrefix)
      ? checkpointLinePrefix
      : null;
  if (prefix === null) return { kind: 'text' };
  let json: unknown;
  try {
    json = JSON.parse(trimmed.slice(prefix.length));
  } catch (error) {
    return { kind: 'invalid', prefix: prefix.trim(), message: `not JSON: ${(error as Error).message}` };
  }
  if (prefix === metricLinePrefix) {
    const parsed = metricPayloadSchema.safeParse(json);
    return parsed.success
      ? { kind: 'metric', metric: parsed.data }
      : { kind: 'invalid', prefix: prefix.trim(), message: z.prettifyError(parsed.error) };
  }
  const parsed = checkpointPayloadSchema.safeParse(json);
  return parsed.success
    ? { kind: 'checkpoint', checkpoint: parsed.data }
    : { kind: 'invalid', prefix: prefix.trim(), message: z.prettifyError(parsed.error) };
}
