/**
 * The one helper every part of the contract declares its methods with (contract.ts merges the parts
 * into LAB_CONTRACT). Kept apart so the domain files (contract-calls.ts, contract-settings.ts,
 * contract-monitor.ts) need not import contract.ts, which imports them.
 */
import type { z } from 'zod';

/**
 * Declares one method of the contract: its payload schema (the source of the payload type and of
 * the hosts' validation) and, as a type only, the value its Result carries.
 */
export function method<S extends z.ZodType, R>(payload: S): { payload: S; result: R } {
  return { payload, result: undefined as R };
}
