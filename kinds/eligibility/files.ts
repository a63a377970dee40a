/** The source system writes its files as `IC_Eligibility…`; the prefix is case-sensitive, as it is there. */
export const ELIGIBILITY_FILE_PREFIX = 'IC_Eligibility';

export function isEligibilityFileName(name: string): boolean {
  return name.startsWith(ELIGIBILITY_FILE_PREFIX);
}
