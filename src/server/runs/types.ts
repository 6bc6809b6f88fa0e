import type { RunMode } from '@/collector/contract';

export type RunStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
export type RunTrigger = 'schedule' | 'manual' | 'api';
export const RUN_STATUSES: readonly RunStatus[] = ['queued', 'running', 'succeeded', 'failed', 'cancelled'];
export const RUN_TRIGGERS: readonly RunTrigger[] = ['schedule', 'manual', 'api'];

/** A run as the API and the UI see it (column names as in the database; timestamps as RFC 3339
 * text, as the database layer returns them: src/db/timestamps.ts). */
export type RunRow = {
  id: string;
  source_id: string;
  source_name?: string | null;
  mode: RunMode;
  status: RunStatus;
  trigger: RunTrigger;
  requested_by: string | null;
  schedule_group_id: string | null;
  attempt: number;
  max_attempts: number;
  attempts: unknown[];
  not_before: string;
  worker_id: string | null;
  heartbeat_at: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  progress: Record<string, unknown> | null;
  stats: Record<string, unknown> | null;
  warnings: unknown[];
  errors: unknown[];
  error_code: string | null;
  error_message: string | null;
  detect: Record<string, unknown> | null;
  cancel_requested_at: string | null;
};
