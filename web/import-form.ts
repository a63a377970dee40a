/**
 * The import form's fields are named as the API names them (`connection.host`), so the API's 422 details
 * land on their fields. These functions only reshape: every check is the API's.
 */

export type FormValues = Record<string, string>;

export const SECRET_FIELDS = ['connection.password', 'connection.privateKey', 'connection.passphrase'] as const;

/** The browser's form, as strings: files and repeated names are not part of these forms. */
export function formValues(form: Record<string, unknown>): FormValues {
  const values: FormValues = {};
  for (const [name, value] of Object.entries(form)) if (typeof value === 'string') values[name] = value;
  return values;
}

const text = (values: FormValues, name: string) => {
  const value = (values[name] ?? '').trim();
  return value === '' ? undefined : value;
};

/** A whole number when the field holds one, else the text itself, so the API names the field in its refusal. */
const numberOrText = (value: string | undefined) => (value !== undefined && /^\d{1,9}$/.test(value) ? Number(value) : value);

function connectionOf(values: FormValues, mode: 'create' | 'edit') {
  const protocol = text(values, 'connection.protocol');
  const connection: Record<string, unknown> = {
    protocol,
    // required: sent even when blank, so the API refuses them with its own words
    host: values['connection.host']?.trim() ?? '',
    port: numberOrText(text(values, 'connection.port')),
    username: values['connection.username']?.trim() ?? '',
    domain: text(values, 'connection.domain'),
    directoryPath: values['connection.directoryPath']?.trim() ?? (mode === 'create' ? '' : undefined),
    ftpsMode: protocol === 'ftps' ? text(values, 'connection.ftpsMode') : undefined,
    smbSecurity: protocol === 'smb' ? text(values, 'connection.smbSecurity') : undefined,
  };
  // write-only: a blank secret field keeps what is stored
  for (const name of SECRET_FIELDS) {
    const value = values[name];
    if (value !== undefined && value !== '') connection[name.slice('connection.'.length)] = value;
  }
  return connection;
}

function scheduleOf(values: FormValues) {
  const frequency = text(values, 'schedule.frequency');
  if (!frequency) return null;
  const dayOfMonth = text(values, 'schedule.dayOfMonth');
  return {
    frequency,
    time: text(values, 'schedule.time') ?? '',
    weekday: frequency === 'weekly' ? text(values, 'schedule.weekday') : undefined,
    dayOfMonth: frequency === 'monthly' ? (dayOfMonth === 'EOM' ? 'EOM' : numberOrText(dayOfMonth)) : undefined,
    timeZone: text(values, 'schedule.timeZone'),
  };
}

function notifyOf(values: FormValues) {
  const emails = (values['notify.emails'] ?? '').split(/[\s,;]+/).filter(Boolean);
  return emails.length ? { emails } : null;
}

/** The body of POST /api/imports (`create`) or PATCH /api/imports/:id (`edit`) the form describes. */
export function importBodyFromForm(values: FormValues, mode: 'create' | 'edit'): Record<string, unknown> {
  const mappingId = text(values, 'mappingId');
  return withoutUndefined({
    name: values.name?.trim() ?? '',
    ...(mode === 'create' ? { kind: text(values, 'kind') } : {}),
    active: values.active === 'on',
    mappingId: mappingId ?? (mode === 'edit' ? null : undefined),
    connection: connectionOf(values, mode),
    schedule: scheduleOf(values),
    notify: notifyOf(values),
  });
}

function withoutUndefined(value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v === undefined) continue;
    out[k] = v !== null && typeof v === 'object' && !Array.isArray(v) ? withoutUndefined(v as Record<string, unknown>) : v;
  }
  return out;
}

/** The form's values for an import as GET /api/imports/:id shows it; secret fields stay blank. */
export function formValuesFromImport(imp: any): FormValues {
  const c = imp.connection ?? {};
  const s = imp.schedule ?? {};
  return {
    name: imp.name ?? '',
    kind: imp.kind ?? '',
    active: imp.active ? 'on' : '',
    mappingId: imp.mappingId ?? '',
    'connection.protocol': c.protocol ?? 'sftp',
    'connection.host': c.host ?? '',
    'connection.port': c.port === undefined || c.port === null ? '' : String(c.port),
    'connection.username': c.username ?? '',
    'connection.domain': c.domain ?? '',
    'connection.directoryPath': c.directoryPath ?? '',
    'connection.ftpsMode': c.ftpsMode ?? 'implicit',
    'connection.smbSecurity': c.smbSecurity ?? 'required',
    'schedule.frequency': s.frequency ?? '',
    'schedule.time': s.time ?? '',
    'schedule.weekday': s.weekday ?? '',
    'schedule.dayOfMonth': s.dayOfMonth === undefined ? '' : String(s.dayOfMonth),
    'schedule.timeZone': s.timeZone ?? '',
    'notify.emails': (imp.notify?.emails ?? []).join(', '),
  };
}

/** Which form field an API detail names: `notify.emails.1` is the e-mail field; unknown names stay as they are. */
export function formFieldOf(apiField: string, formFields: readonly string[]): string {
  if (formFields.includes(apiField)) return apiField;
  const parts = apiField.split('.');
  while (parts.length > 1) {
    parts.pop();
    if (formFields.includes(parts.join('.'))) return parts.join('.');
  }
  return formFields.includes(`connection.${apiField}`) ? `connection.${apiField}` : apiField;
}
