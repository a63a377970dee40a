import { addDays, rangesOverlap, type IsoDate } from '../../domain/dates';
import { benefitRank, outranks, type EligibilityCode } from './codes';
import type { EligibilityRow } from './row';

/**
 * The four apply rules of RULES.md ("Applying a valid row"), as pure functions over one
 * student's records in one school year. A caller applies a file's rows in order:
 *
 *   const decision = decideEligibilityRow(records, row);
 *   records = applyDecision(records, decision, newId);
 *   report.push(...reportRecordsOf(decision));
 *
 * Afterwards no two of the records overlap (inclusive ranges; a null end is open-ended).
 */

export interface EligibilityRecord {
  id: string;
  eligibility: EligibilityCode;
  certifiedType: string;
  startDate: IsoDate;
  endDate: IsoDate | null;
  applicationName: string | null;
  referenceNumber: string | null;
}

export type NewEligibilityRecord = Omit<EligibilityRecord, 'id'>;

/** What the rules read from a row. */
export type EligibilityRowValues = Pick<
  EligibilityRow,
  'eligibility' | 'certifiedType' | 'startDate' | 'endDate' | 'applicationName' | 'referenceNumber'
>;

export interface EndedRecord {
  record: EligibilityRecord;
  /** The new end date: the day before the row starts. */
  endDate: IsoDate;
}

export interface LowerBenefitWarning {
  code: 'LOWER_BENEFIT_NOT_APPLIED';
  message: string;
  outrankedBy: EligibilityRecord;
}

export type EligibilityDecision =
  /** Rule 1: the same record exists; nothing changes. */
  | { kind: 'existing'; rule: 1; record: EligibilityRecord; warning: null }
  /**
   * Rule 2: the record with the row's eligibility and start date takes the row's certified
   * type and end date (and its application name and reference number when the row has them).
   * See decideUpdate for what happens to records the new range reaches.
   */
  | {
      kind: 'update';
      rule: 2;
      before: EligibilityRecord;
      after: EligibilityRecord;
      ended: EndedRecord[];
      removed: EligibilityRecord[];
      /** Set when a higher benefit cut the requested end date short. */
      warning: LowerBenefitWarning | null;
    }
  /**
   * Rule 3: an overlapping record outranks the row, which is reported as Existing with a
   * warning; nothing changes. Also rule 2 when a higher benefit leaves nothing to update.
   */
  | { kind: 'outranked'; rule: 2 | 3; record: NewEligibilityRecord; warning: LowerBenefitWarning }
  /** Rule 4: overlapping records are ended or removed, and the row is inserted. */
  | { kind: 'insert'; rule: 4; ended: EndedRecord[]; removed: EligibilityRecord[]; record: NewEligibilityRecord; warning: null };

export type EligibilityReportStatus = 'New' | 'Updated' | 'Ended' | 'Removed' | 'Existing';

/** A report record's values: the record after the change (for Ended, with its new end date). */
export interface EligibilityReportRecord extends NewEligibilityRecord {
  status: EligibilityReportStatus;
}

/**
 * Decides what a valid row does to `current`, the student's records in the row's school
 * year, trying the rules in the order RULES.md gives them.
 */
export function decideEligibilityRow(current: readonly EligibilityRecord[], row: EligibilityRowValues): EligibilityDecision {
  // most rows of a file meet no record: rule 4 with nothing to end or remove
  if (current.length === 0) return { kind: 'insert', rule: 4, ended: [], removed: [], record: valuesOf(row), warning: null };
  const same = current.find(
    (r) =>
      r.eligibility === row.eligibility &&
      r.certifiedType === row.certifiedType &&
      r.startDate === row.startDate &&
      r.endDate === row.endDate,
  );
  if (same) return { kind: 'existing', rule: 1, record: same, warning: null };

  const sameStart = current.find((r) => r.eligibility === row.eligibility && r.startDate === row.startDate);
  if (sameStart) return decideUpdate(current, sameStart, row);

  const overlapping = current.filter((r) => overlaps(r, row.startDate, row.endDate));
  const higher = highest(overlapping.filter((r) => outranks(r, row)));
  if (higher) {
    const record = valuesOf(row);
    return {
      kind: 'outranked',
      rule: 3,
      record,
      warning: lowerBenefit(higher, `so ${describeBenefit(record)} from ${row.startDate} was not applied`),
    };
  }

  const { ended, removed } = endOrRemove(overlapping, row.startDate);
  return { kind: 'insert', rule: 4, ended, removed, record: valuesOf(row), warning: null };
}

/**
 * Rule 2. A new end date can reach records that start after the old one ended; rule 2
 * must not leave overlaps, so they are treated as rule 3 and 4 treat a row's overlaps:
 * a record that outranks the row stays as it is and the updated record ends the day
 * before the first such record starts (with a LOWER_BENEFIT_NOT_APPLIED warning); every
 * other record the updated range still overlaps is ended (when it starts earlier, which
 * only pre-existing overlapping data allows) or removed (when it starts later).
 */
function decideUpdate(
  current: readonly EligibilityRecord[],
  target: EligibilityRecord,
  row: EligibilityRowValues,
): EligibilityDecision {
  const others = current.filter((r) => r !== target && overlaps(r, row.startDate, row.endDate));
  const blocker = earliest(others.filter((r) => r.startDate > row.startDate && outranks(r, row)));

  let endDate = row.endDate;
  let cut = false;
  if (blocker) {
    const dayBefore = addDays(blocker.startDate, -1);
    if (endDate === null || endDate > dayBefore) {
      endDate = dayBefore;
      cut = true;
    }
  }
  const after: EligibilityRecord = {
    ...target,
    certifiedType: row.certifiedType,
    endDate,
    applicationName: row.applicationName ?? target.applicationName,
    referenceNumber: row.referenceNumber ?? target.referenceNumber,
  };
  const warning =
    blocker && cut
      ? lowerBenefit(blocker, `so the record from ${row.startDate} ends on ${endDate} instead of ${row.endDate ?? 'never'}`)
      : null;
  const { ended, removed } = endOrRemove(
    others.filter((r) => overlaps(r, row.startDate, endDate)),
    row.startDate,
  );
  if (warning && ended.length === 0 && removed.length === 0 && sameRecordValues(after, target)) {
    return { kind: 'outranked', rule: 2, record: valuesOf(target), warning };
  }
  return { kind: 'update', rule: 2, before: target, after, ended, removed, warning };
}

/** Rule 4's treatment of overlapping records: ended the day before `start`, or removed when they start on or after it. */
function endOrRemove(overlapping: readonly EligibilityRecord[], start: IsoDate): { ended: EndedRecord[]; removed: EligibilityRecord[] } {
  const sorted = [...overlapping].sort(byStart);
  return {
    ended: sorted.filter((r) => r.startDate < start).map((record) => ({ record, endDate: addDays(start, -1) })),
    removed: sorted.filter((r) => r.startDate >= start),
  };
}

/** The student's records after the decision, ordered by start date; `newId` names an inserted record. */
export function applyDecision(
  current: readonly EligibilityRecord[],
  decision: EligibilityDecision,
  newId: string,
): EligibilityRecord[] {
  if (decision.kind === 'existing' || decision.kind === 'outranked') return [...current].sort(byStart);
  if (current.length === 0 && decision.kind === 'insert') return [{ id: newId, ...decision.record }];

  const removed = new Set(decision.removed.map((r) => r.id));
  const endDates = new Map(decision.ended.map((e) => [e.record.id, e.endDate]));
  const next: EligibilityRecord[] = [];
  for (const record of current) {
    if (removed.has(record.id)) continue;
    if (decision.kind === 'update' && record.id === decision.before.id) next.push(decision.after);
    else {
      const endDate = endDates.get(record.id);
      next.push(endDate === undefined ? record : { ...record, endDate });
    }
  }
  if (decision.kind === 'insert') next.push({ id: newId, ...decision.record });
  return next.sort(byStart);
}

/** The report's records for one decision (API.md's `records`). */
export function reportRecordsOf(decision: EligibilityDecision): EligibilityReportRecord[] {
  const changed = (ended: EndedRecord[], removed: EligibilityRecord[]): EligibilityReportRecord[] => [
    ...ended.map((e) => report('Ended', { ...e.record, endDate: e.endDate })),
    ...removed.map((r) => report('Removed', r)),
  ];
  switch (decision.kind) {
    case 'existing':
    case 'outranked':
      return [report('Existing', decision.record)];
    case 'update':
      return [report('Updated', decision.after), ...changed(decision.ended, decision.removed)];
    case 'insert':
      return [...changed(decision.ended, decision.removed), report('New', decision.record)];
  }
}

function report(status: EligibilityReportStatus, record: NewEligibilityRecord): EligibilityReportRecord {
  return {
    status,
    eligibility: record.eligibility,
    certifiedType: record.certifiedType,
    startDate: record.startDate,
    endDate: record.endDate,
    applicationName: record.applicationName,
    referenceNumber: record.referenceNumber,
  };
}

function valuesOf(values: EligibilityRowValues | NewEligibilityRecord): NewEligibilityRecord {
  return {
    eligibility: values.eligibility,
    certifiedType: values.certifiedType,
    startDate: values.startDate,
    endDate: values.endDate,
    applicationName: values.applicationName,
    referenceNumber: values.referenceNumber,
  };
}

/** Whether two records hold the same values (ids aside). */
export function sameRecordValues(a: NewEligibilityRecord, b: NewEligibilityRecord): boolean {
  return (
    a.eligibility === b.eligibility &&
    a.certifiedType === b.certifiedType &&
    a.startDate === b.startDate &&
    a.endDate === b.endDate &&
    a.applicationName === b.applicationName &&
    a.referenceNumber === b.referenceNumber
  );
}

function overlaps(record: EligibilityRecord, start: IsoDate, end: IsoDate | null): boolean {
  return rangesOverlap(record.startDate, record.endDate, start, end);
}

function byStart(a: EligibilityRecord, b: EligibilityRecord): number {
  if (a.startDate !== b.startDate) return a.startDate < b.startDate ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function earliest(records: readonly EligibilityRecord[]): EligibilityRecord | undefined {
  return [...records].sort(byStart)[0];
}

/** The highest-ranked record; among equals, the earliest. */
function highest(records: readonly EligibilityRecord[]): EligibilityRecord | undefined {
  return [...records].sort((a, b) => benefitRank(b) - benefitRank(a) || byStart(a, b))[0];
}

function describeBenefit(record: { eligibility: EligibilityCode; certifiedType: string }): string {
  return `${record.eligibility}/${record.certifiedType}`;
}

function lowerBenefit(higher: EligibilityRecord, consequence: string): LowerBenefitWarning {
  const range = `${higher.startDate} to ${higher.endDate ?? 'open end'}`;
  return {
    code: 'LOWER_BENEFIT_NOT_APPLIED',
    message: `The higher benefit ${describeBenefit(higher)} (${range}) overlaps this row, ${consequence}.`,
    outrankedBy: higher,
  };
}
