/**
 * One dispatcher for both hosts: checks the method is the contract's, validates the payload, and
 * calls the Lab's handler. Never rejects: every outcome is a Result.
 */
import { LAB_METHODS, type LabHandlers, type LabMethod } from '../../shared/contract';
import { err, errFrom, type Result } from '../../shared/result';
import { validatePayload } from './payload-schemas';

/** True when `m` is one of the contract's method names. */
export function isLabMethod(m: unknown): m is LabMethod {
  return typeof m === 'string' && (LAB_METHODS as readonly string[]).includes(m);
}

/**
 * Dispatches one request.
 * @returns the handler's Result, or `{ ok: false }` for an unknown method or an invalid payload.
 */
export async function dispatch(handlers: LabHandlers, method: unknown, payload: unknown): Promise<Result<unknown>> {
  if (!isLabMethod(method)) return err(`unknown method ${JSON.stringify(method)}`, 'usage');
  const v = validatePayload(method, payload);
  if (!v.ok) return err(v.error, 'usage');
  const handler = handlers[method] as (p: unknown) => Promise<Result<unknown>>;
  try {
    return await handler(v.value);
  } catch (e) {
    return errFrom(e);
  }
}
