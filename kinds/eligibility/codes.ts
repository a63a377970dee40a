/** Our eligibility codes: free, reduced, standard (paid). */
export const ELIGIBILITY_CODES = ['F', 'R', 'S'] as const;
export type EligibilityCode = (typeof ELIGIBILITY_CODES)[number];

/**
 * Certified types a district has unless it names its own: direct certification, categorical,
 * income, TANF, head start, foster, homeless, runaway, migrant, override, direct non-SNAP.
 */
export const DEFAULT_CERTIFIED_TYPES: readonly string[] = ['D', 'C', 'I', 'T', 'HS', 'F', 'H', 'R', 'M', 'O', 'DN'];

/** Direct-certification types, which outrank the others of the same eligibility. */
export const DIRECT_CERTIFICATION_TYPES: readonly string[] = ['D', 'DN'];

export function isEligibilityCode(value: string): value is EligibilityCode {
  return (ELIGIBILITY_CODES as readonly string[]).includes(value);
}

const ELIGIBILITY_RANK: Record<EligibilityCode, number> = { F: 3, R: 2, S: 1 };

/** A number that orders benefits: F > R > S, and within one eligibility D/DN above the other types. */
export function benefitRank(benefit: { eligibility: EligibilityCode; certifiedType: string }): number {
  return ELIGIBILITY_RANK[benefit.eligibility] * 2 + (DIRECT_CERTIFICATION_TYPES.includes(benefit.certifiedType) ? 1 : 0);
}

export function outranks(
  a: { eligibility: EligibilityCode; certifiedType: string },
  b: { eligibility: EligibilityCode; certifiedType: string },
): boolean {
  return benefitRank(a) > benefitRank(b);
}
