import { z } from 'zod';
import { KIND_NAMES } from '../kinds';
import { RIGHTS } from '../security/api-keys';
import { decodeReportCursor, MAX_CURSOR_LENGTH } from './report-cursor';

const isTimeZone = (tz: string) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};
export const timeZoneSchema = z.string().min(1).max(64).refine(isTimeZone, 'must be an IANA time zone, e.g. America/Chicago');

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD').refine((s) => {
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
}, 'must be a real calendar date');

export const districtBody = z.strictObject({
  name: z.string().trim().min(1).max(100),
  timeZone: timeZoneSchema,
});

export const MAX_KEY_LIFETIME_DAYS = 365;
const DAY_MS = 24 * 60 * 60 * 1000;

const keyExpiry = z.iso
  .datetime({ offset: true, message: 'must be an ISO-8601 instant, e.g. 2027-06-30T00:00:00Z' })
  .refine((s) => Date.parse(s) > Date.now(), 'must be in the future')
  .refine((s) => Date.parse(s) <= Date.now() + MAX_KEY_LIFETIME_DAYS * DAY_MS, `must be at most ${MAX_KEY_LIFETIME_DAYS} days ahead`)
  .transform((s) => new Date(s));

export const keyBody = z.strictObject({
  name: z.string().trim().min(1).max(100),
  rights: z.array(z.enum(RIGHTS)).max(RIGHTS.length),
  expiresAt: keyExpiry.optional(),
});

export const studentsBody = z
  .array(
    z.strictObject({
      studentNumber: z.string().trim().min(1).max(40),
      stateId: z.string().trim().min(1).max(40).optional(),
      personId: z.string().trim().min(1).max(40).optional(),
      firstName: z.string().trim().min(1).max(100),
      lastName: z.string().trim().min(1).max(100),
      birthDate: isoDate.optional(),
    }),
  )
  .min(1)
  .max(10_000)
  .refine((list) => new Set(list.map((s) => s.studentNumber)).size === list.length, 'each studentNumber may appear once');

// Host names (RFC 1123 labels) or IPv4/IPv6 literals; no schemes, paths or ports.
const hostSchema = z
  .string()
  .trim()
  .min(1)
  .max(253)
  .regex(/^([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$|^[0-9A-Fa-f:.]+$/, 'must be a host name or IP address');

export const directoryPathSchema = z
  .string()
  .max(100, 'must be at most 100 characters')
  .refine((p) => !/^[\\/]/.test(p), 'must not start with a slash; give the path relative to the share or login folder')
  .refine((p) => !/^[A-Za-z]:/.test(p), 'must not include a drive letter such as C:')
  .refine((p) => !p.split(/[\\/]/).includes('..'), 'must not contain ".." segments')
  // eslint-disable-next-line no-control-regex
  .refine((p) => !/[\u0000-\u001f"*?<>|]/.test(p), 'contains a character that is not allowed in a path');

export const trustSchema = z.strictObject({
  sha256: z.string().trim().min(16).max(200),
  keyType: z.string().trim().min(1).max(64).optional(),
});

const connectionFields = {
  host: hostSchema,
  port: z.number().int().min(1, 'must be 1-65535').max(65535, 'must be 1-65535').optional(),
  username: z.string().min(1).max(128),
  password: z.string().min(1).max(1024).optional(),
  domain: z.string().trim().min(1).max(255).optional(),
  directoryPath: directoryPathSchema,
  ftpsMode: z.enum(['implicit', 'explicit']).optional(),
  smbSecurity: z
    .enum(['required', 'legacy'])
    .optional()
    .describe('SMB only. "required" (default): SMB3, signing and encryption. "legacy": SMB2 and no encryption accepted, for servers that cannot encrypt; unsafe (see the README)'),
  privateKey: z.string().min(1).max(16_384).optional(),
  passphrase: z.string().min(1).max(1024).optional(),
  trust: trustSchema.nullable().optional(),
};

export const connectionBody = z.strictObject({
  protocol: z.string(),
  ...connectionFields,
});

export const connectionPatch = z.strictObject({
  protocol: z.string().optional(),
  host: connectionFields.host.optional(),
  port: connectionFields.port,
  username: connectionFields.username.optional(),
  password: connectionFields.password,
  domain: connectionFields.domain.nullable(),
  directoryPath: connectionFields.directoryPath.optional(),
  ftpsMode: connectionFields.ftpsMode,
  smbSecurity: connectionFields.smbSecurity,
  privateKey: connectionFields.privateKey.nullable(),
  passphrase: connectionFields.passphrase.nullable(),
  trust: connectionFields.trust,
});

const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;

export const scheduleSchema = z
  .strictObject({
    frequency: z.enum(['daily', 'weekly', 'monthly']),
    time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM in 24-hour time'),
    weekday: z.enum(WEEKDAYS).optional(),
    dayOfMonth: z.union([z.number().int().min(1).max(31), z.literal('EOM')]).optional(),
    timeZone: timeZoneSchema.optional(),
  })
  .refine((s) => s.frequency !== 'weekly' || s.weekday !== undefined, { message: 'a weekly schedule needs a weekday', path: ['weekday'] })
  .refine((s) => s.frequency !== 'monthly' || s.dayOfMonth !== undefined, { message: 'a monthly schedule needs dayOfMonth', path: ['dayOfMonth'] });

export const importName = z
  .string()
  .min(1, 'must be 1-40 characters')
  .max(40, 'must be at most 40 characters')
  .regex(/^[A-Za-z0-9 ]+$/, 'may contain only letters, digits and spaces')
  .refine((s) => s.trim().length > 0, 'must not be blank');

export const notifySchema = z.strictObject({ emails: z.array(z.email()).max(20) });

export const importBody = z.strictObject({
  name: importName,
  kind: z.enum(KIND_NAMES as [string, ...string[]]),
  active: z.boolean().default(true),
  mappingId: z.string().optional(),
  connection: connectionBody,
  schedule: scheduleSchema.nullable().optional(),
  notify: notifySchema.nullable().optional(),
});

export const importPatch = z.strictObject({
  name: importName.optional(),
  active: z.boolean().optional(),
  mappingId: z.string().nullable().optional(),
  connection: connectionPatch.optional(),
  schedule: scheduleSchema.nullable().optional(),
  notify: notifySchema.nullable().optional(),
});

/** Submit to Batch: a start time in the past means now; more than a year ahead is refused. */
export const MAX_BATCH_LEAD_DAYS = 365;

export const batchBody = z.strictObject({
  startAt: z.iso
    .datetime({ offset: true, message: 'must be an ISO-8601 instant with offset, e.g. 2026-12-01T22:00:00-06:00' })
    .refine((s) => Date.parse(s) <= Date.now() + MAX_BATCH_LEAD_DAYS * DAY_MS, `must be at most ${MAX_BATCH_LEAD_DAYS} days ahead`)
    .transform((s) => new Date(s)),
  highPriority: z.boolean().default(false).describe('Run ahead of normal runs (Temporal task priority); needs the right batch.setPriority'),
  keepUntilDeleted: z.boolean().default(false).describe('Keep the result until it is deleted, instead of BATCH_RETENTION_DAYS; needs the right batch.setExpiration'),
});

export const runsQuery = z.strictObject({
  importId: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const DEFAULT_REPORT_PAGE = 1000;
export const MAX_REPORT_PAGE = 10_000;

export const reportQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(MAX_REPORT_PAGE).default(DEFAULT_REPORT_PAGE),
  cursor: z
    .string()
    .max(MAX_CURSOR_LENGTH, 'must be the `next` of an earlier page of this report')
    .regex(/^[A-Za-z0-9_-]+$/, 'must be the `next` of an earlier page of this report')
    .describe('The `next` of the previous page; omit for the first')
    .transform((text, ctx) => {
      const position = decodeReportCursor(text);
      if (position) return position;
      ctx.addIssue({ code: 'custom', message: 'must be the `next` of an earlier page of this report' });
      return z.NEVER;
    })
    .optional(),
});

export const auditLogQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: z.string().regex(/^[1-9]\d{0,17}$/, 'must be the id of an audit log entry').optional(),
});

// Roster set-up (students kind).
const schoolCode = z
  .string()
  .trim()
  .min(1)
  .max(40)
  .regex(/^[A-Za-z0-9._-]+$/, 'may contain only letters, digits, ".", "_" and "-"');

export const schoolBody = z.strictObject({
  code: schoolCode,
  name: z.string().trim().min(1).max(100),
});

export const orderBody = z
  .strictObject({
    kind: z.enum(['enterprise', 'regular']),
    schoolCode: schoolCode.optional(),
    licenses: z.number().int().min(0).max(1_000_000),
  })
  .refine((o) => o.kind !== 'regular' || o.schoolCode !== undefined, { message: 'a regular order names its school', path: ['schoolCode'] })
  .refine((o) => o.kind !== 'enterprise' || o.schoolCode === undefined, {
    message: "the enterprise order has no school: its free licences sit in the district's holding bin",
    path: ['schoolCode'],
  });

export const orderStudentBody = z.strictObject({
  studentNumber: z.string().trim().min(1).max(40),
  status: z.enum(['active', 'deactivated']),
});
