import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formFieldOf, importBodyFromForm } from '../../web/import-form';
import { IMPORT_FORM_FIELDS } from '../../web/import-form-view';
import { localInstant } from '../../web/local-time';
import { mappingBodyFromForm } from '../../web/pages/mappings';
import { studentsFromText } from '../../web/pages/students';

const FORM = {
  name: 'Nightly', kind: 'eligibility', active: 'on', mappingId: 'm-1',
  'connection.protocol': 'sftp', 'connection.host': 'files.example.org', 'connection.port': '2222', 'connection.username': 'svc',
  'connection.password': '', 'connection.privateKey': '', 'connection.passphrase': '', 'connection.domain': '',
  'connection.directoryPath': 'In', 'connection.ftpsMode': 'implicit', 'connection.smbSecurity': 'required',
  'schedule.frequency': 'weekly', 'schedule.time': '22:00', 'schedule.weekday': 'monday', 'schedule.dayOfMonth': '', 'schedule.timeZone': '',
  'notify.emails': 'a@district.org, b@district.org',
};

test('the import form becomes the API body; blank secret fields keep what is stored (they are not sent)', () => {
  assert.deepEqual(importBodyFromForm(FORM, 'edit'), {
    name: 'Nightly', active: true, mappingId: 'm-1',
    connection: { protocol: 'sftp', host: 'files.example.org', port: 2222, username: 'svc', directoryPath: 'In' },
    schedule: { frequency: 'weekly', time: '22:00', weekday: 'monday' },
    notify: { emails: ['a@district.org', 'b@district.org'] },
  });
  const withPassword = importBodyFromForm({ ...FORM, 'connection.password': ' p w ' }, 'create');
  assert.equal((withPassword.connection as { password: string }).password, ' p w ', 'a secret is sent exactly as typed');
  assert.equal(withPassword.kind, 'eligibility');
});

test('a port that is not a number is sent as typed, so the API refuses it by name', () => {
  assert.equal((importBodyFromForm({ ...FORM, 'connection.port': '22x' }, 'create').connection as { port: unknown }).port, '22x');
});

test("the API's detail fields land on the form's fields", () => {
  assert.equal(formFieldOf('connection.host', IMPORT_FORM_FIELDS), 'connection.host');
  assert.equal(formFieldOf('notify.emails.1', IMPORT_FORM_FIELDS), 'notify.emails');
  assert.equal(formFieldOf('password', IMPORT_FORM_FIELDS), 'connection.password');
  assert.equal(formFieldOf('startAt', IMPORT_FORM_FIELDS), 'startAt');
});

test("a form's local time with the browser's offset is the instant the API gets", () => {
  // Chicago in winter: getTimezoneOffset() is 360
  assert.equal(localInstant('2026-12-01T22:00', '360'), '2026-12-02T04:00:00.000Z');
  assert.equal(localInstant('2026-12-01T22:00', ''), '2026-12-01T22:00:00.000Z');
  assert.equal(localInstant('tomorrow', '0'), 'tomorrow', 'not a date: left for the API to refuse');
  assert.equal(localInstant(' ', '0'), undefined);
});

test('the students box becomes the PUT /api/students body, one student a line', () => {
  assert.deepEqual(studentsFromText('000123, Ana, Lopez, 2015-04-02\r\n\r\n000124,Bo,Kim,,S-9\n'), [
    { studentNumber: '000123', firstName: 'Ana', lastName: 'Lopez', birthDate: '2015-04-02' },
    { studentNumber: '000124', firstName: 'Bo', lastName: 'Kim', stateId: 'S-9' },
  ]);
});

test('the mapping form becomes the POST /api/mappings body: positions without a header, code lines as tables', () => {
  const body = mappingBodyFromForm({
    name: 'No header', schoolYear: '2026', format: 'csv', dateFormat: 'YYYY-MM-DD', identifier: 'stateId',
    'columns.stateId': '2', 'columns.eligibility': '5', 'columns.certifiedType': 'x', 'columns.lastName': '',
    'values.eligibility': 'FREE=F\nREDUCED = R\n', 'values.certifiedType': '',
  });
  assert.deepEqual(body, {
    name: 'No header', schoolYear: 2026, format: 'csv', hasHeader: false, dateFormat: 'YYYY-MM-DD', identifier: 'stateId',
    columns: { stateId: 2, eligibility: 5, certifiedType: 'x' },
    values: { eligibility: { FREE: 'F', REDUCED: 'R' } },
  });
});
