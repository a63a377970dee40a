import { CsrfField } from './layout';
import { CheckboxField, ErrorSummary, SecretField, SelectField, TextAreaField, TextField, type FieldState } from './fields';
import type { ApiErrorBody } from './api-client';

export const IMPORT_FORM_FIELDS = [
  'name', 'kind', 'active', 'mappingId',
  'connection.protocol', 'connection.host', 'connection.port', 'connection.username', 'connection.password', 'connection.domain',
  'connection.directoryPath', 'connection.ftpsMode', 'connection.smbSecurity', 'connection.privateKey', 'connection.passphrase',
  'schedule.frequency', 'schedule.time', 'schedule.weekday', 'schedule.dayOfMonth', 'schedule.timeZone', 'notify.emails',
] as const;

const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export interface ImportFormProps {
  action: string;
  mode: 'create' | 'edit';
  state: FieldState;
  csrf: string;
  mappings: { id: string; name: string }[];
  /** Which secrets are stored (edit): shown as "set", never filled in. */
  secretsSet?: { password: boolean; privateKey: boolean; passphrase: boolean };
  error?: ApiErrorBody;
}

/** Every field of POST /api/imports; the pinned fingerprint is set by Test Connection's confirm button, not typed. */
export function ImportForm(props: ImportFormProps) {
  const { state } = props;
  const set = props.secretsSet ?? { password: false, privateKey: false, passphrase: false };
  return (
    <form method="post" action={props.action} class="card" novalidate>
      <CsrfField token={props.csrf} />
      <ErrorSummary error={props.error} shown={Object.keys(state.errors)} />
      <fieldset>
        <legend>Import</legend>
        <TextField name="name" label="Name" state={state} required hint="1-40 letters, digits and spaces." />
        {props.mode === 'create' ? (
          <SelectField name="kind" label="Kind" state={state} options={[['eligibility', 'Eligibility'], ['students', 'Student roster']]} />
        ) : (
          <p>
            Kind: <strong>{state.values.kind}</strong>
          </p>
        )}
        <CheckboxField name="active" label="Active (runs on its schedule; Run needs it)" state={state} />
        <SelectField
          name="mappingId"
          label="Mapping (eligibility imports)"
          showWhen={props.mode === 'create' ? 'kind=eligibility' : undefined}
          state={state}
          options={[['', 'None'], ...props.mappings.map((m) => [m.id, m.name] as const)]}
        />
      </fieldset>
      <fieldset>
        <legend>Connection</legend>
        <SelectField name="connection.protocol" label="Protocol" state={state} options={[['sftp', 'SFTP'], ['ftps', 'FTPS'], ['smb', 'SMB']]} />
        <TextField name="connection.host" label="Host" state={state} required />
        <TextField name="connection.port" label="Port" state={state} inputmode="numeric" hint="Blank: SFTP 22, FTPS 990, SMB 445." />
        <TextField name="connection.username" label="Username" state={state} required />
        <SecretField name="connection.password" label="Password" state={state} isSet={set.password} />
        <TextField name="connection.domain" label="Domain (SMB)" state={state} showWhen="connection.protocol=smb" />
        <TextField
          name="connection.directoryPath"
          label="Directory path"
          state={state}
          hint="Relative to the login folder (SMB: the share first), at most 100 characters, no leading slash."
        />
        <SelectField name="connection.ftpsMode" label="FTPS mode" state={state} showWhen="connection.protocol=ftps" options={[['implicit', 'Implicit (port 990)'], ['explicit', 'Explicit (AUTH TLS)']]} />
        <SelectField
          name="connection.smbSecurity"
          showWhen="connection.protocol=smb"
          label="SMB security"
          state={state}
          options={[['required', 'Required: SMB3 with signing and encryption'], ['legacy', 'Legacy: no encryption (unsafe)']]}
        />
        <SecretField name="connection.privateKey" label="SFTP private key (instead of a password)" state={state} isSet={set.privateKey} multiline showWhen="connection.protocol=sftp" />
        <SecretField name="connection.passphrase" label="Private key passphrase" state={state} isSet={set.passphrase} showWhen="connection.protocol=sftp" />
      </fieldset>
      <fieldset>
        <legend>Schedule</legend>
        <SelectField
          name="schedule.frequency"
          label="Frequency"
          state={state}
          options={[['', 'Not scheduled'], ['daily', 'Daily'], ['weekly', 'Weekly'], ['monthly', 'Monthly']]}
        />
        <TextField name="schedule.time" label="Time" state={state} type="time" hint="24-hour time, e.g. 22:00." showWhen="schedule.frequency=daily|weekly|monthly" />
        <SelectField name="schedule.weekday" label="Weekday (weekly)" state={state} showWhen="schedule.frequency=weekly" options={[['', '—'], ...WEEKDAYS.map((d) => [d, cap(d)] as const)]} />
        <TextField name="schedule.dayOfMonth" label="Day of month (monthly)" state={state} hint="1-31, or EOM for the last day." showWhen="schedule.frequency=monthly" />
        <TextField name="schedule.timeZone" label="Time zone" state={state} hint="e.g. America/Chicago; blank: the district's." showWhen="schedule.frequency=daily|weekly|monthly" />
      </fieldset>
      <fieldset>
        <legend>Notify</legend>
        <TextAreaField name="notify.emails" label="E-mail addresses" state={state} rows={2} hint="Separated by commas; up to 20." />
      </fieldset>
      <button type="submit">{props.mode === 'create' ? 'Create import' : 'Save changes'}</button>
    </form>
  );
}
