import type { RosterStatus, RosterStatusCode } from './codes';

/** Where a student stands before a row applies: absent means the roster does not know it (eligibility may). */
export type RosterStanding = RosterStatus | 'absent';

export type RosterAction = 'create' | 'activate' | 'deactivate' | 'update' | 'move';

/** How an applied row counts in the summary. */
export type RosterOutcome = 'added' | 'activated' | 'deactivated' | 'updated';

export type StatusDecision =
  | { action: 'error'; code: 'STUDENT_EXISTS' | 'STUDENT_NOT_FOUND' }
  | {
      action: RosterAction;
      outcome: RosterOutcome;
      /** The student's status afterwards. */
      status: RosterStatus;
      /** The order it is associated with afterwards: the enterprise order, or the one it has now. */
      order: 'enterprise' | 'current';
      /** The licence it holds goes back to its current order (the holding bin, for the enterprise order). */
      returnsLicence: boolean;
      /** It takes one licence from the holding bin (the enterprise order's free licences). */
      takesFromHoldingBin: boolean;
    };

const EXISTS: StatusDecision = { action: 'error', code: 'STUDENT_EXISTS' };
const NOT_FOUND: StatusDecision = { action: 'error', code: 'STUDENT_NOT_FOUND' };
const DEACTIVATE: StatusDecision = { action: 'deactivate', outcome: 'deactivated', status: 'deactivated', order: 'current', returnsLicence: true, takesFromHoldingBin: false };
const ACTIVATE: StatusDecision = { action: 'activate', outcome: 'activated', status: 'active', order: 'enterprise', returnsLicence: false, takesFromHoldingBin: true };
const CREATE_ACTIVE: StatusDecision = { action: 'create', outcome: 'added', status: 'active', order: 'enterprise', returnsLicence: false, takesFromHoldingBin: true };
const CREATE_DEACTIVATED: StatusDecision = { action: 'create', outcome: 'added', status: 'deactivated', order: 'enterprise', returnsLicence: false, takesFromHoldingBin: false };

/** The status stays; the student ends on the enterprise order, moving there from a regular one (an active one with its licence). */
function keep(status: RosterStatus, onEnterprise: boolean): StatusDecision {
  const licenceMoves = status === 'active' && !onEnterprise;
  return { action: onEnterprise ? 'update' : 'move', outcome: 'updated', status, order: 'enterprise', returnsLicence: licenceMoves, takesFromHoldingBin: licenceMoves };
}

const TABLE: Record<RosterStanding, Record<RosterStatusCode, (onEnterprise: boolean) => StatusDecision>> = {
  active: { A: (e) => keep('active', e), D: () => DEACTIVATE, X: () => EXISTS, I: (e) => keep('active', e) },
  deactivated: { A: () => ACTIVATE, D: (e) => keep('deactivated', e), X: () => EXISTS, I: (e) => keep('deactivated', e) },
  absent: { A: () => CREATE_ACTIVE, D: () => NOT_FOUND, X: () => CREATE_DEACTIVATED, I: () => NOT_FOUND },
};

/**
 * RULES.md's status table: one cell per standing × status code. Every applied row updates the
 * student's data; `onEnterprise` (the student's current order is the enterprise one) only tells an
 * update in place from a move to the enterprise order.
 */
export function decideStatus(standing: RosterStanding, code: RosterStatusCode, onEnterprise: boolean): StatusDecision {
  return TABLE[standing][code](onEnterprise);
}
