import { z } from 'zod';

/** A roster import has no settings of its own: the file's format is fixed (RULES.md "Student roster import"). */
export const rosterSettingsSchema = z.strictObject({});

export type RosterSettings = z.output<typeof rosterSettingsSchema>;
