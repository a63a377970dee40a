import { API_EXAMPLE_MAPPING } from './api-example-mapping';

const FINGERPRINT = 'SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s';

/**
 * The request bodies API.md and the README show, by route, written out as JSON (API.md's `a | b`
 * alternatives and `…` placeholders made concrete). The OpenAPI document must accept each one.
 */
export const API_REQUEST_EXAMPLES: Record<string, unknown[]> = {
  'POST /api/districts': [{ name: 'Lincoln USD', timeZone: 'America/Chicago' }],
  'POST /api/districts/{id}/keys': [
    { name: 'data team', rights: ['imports.read', 'imports.write', 'imports.run', 'reports.read'] },
    { name: 'nightly script', rights: ['imports.run'], expiresAt: '2027-06-30T00:00:00Z' },
  ],
  'PUT /api/students': [
    [
      { studentNumber: '000123', firstName: 'Ana', lastName: 'Lopez' },
      { studentNumber: '000124', stateId: '9912', personId: 'P-77', firstName: 'Bo', lastName: 'Kim', birthDate: '2012-04-01' },
    ],
  ],
  'POST /api/mappings': [API_EXAMPLE_MAPPING],
  'POST /api/imports': [
    {
      name: 'Third Party Eligibility Import 1',
      kind: 'eligibility',
      active: true,
      mappingId: '0f8fad5b-d9cb-469f-a165-70867728950e',
      connection: { protocol: 'sftp', host: 'files.example.org', username: 'svc', password: 'pw', directoryPath: 'ScheduledImports/Eligibility' },
    },
    {
      name: 'Third Party Eligibility Import 1',
      kind: 'eligibility',
      active: true,
      mappingId: '0f8fad5b-d9cb-469f-a165-70867728950e',
      connection: {
        protocol: 'sftp',
        host: 'files.example.org',
        port: 22,
        username: 'svc',
        password: 'pw',
        domain: 'EXAMPLE',
        directoryPath: 'ScheduledImports/Eligibility',
        ftpsMode: 'implicit',
        privateKey: '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n',
        passphrase: 'phrase',
        trust: { sha256: FINGERPRINT },
      },
      schedule: { frequency: 'monthly', time: '22:00', weekday: 'monday', dayOfMonth: 'EOM', timeZone: 'America/Chicago' },
      notify: { emails: ['data@district.org'] },
    },
    {
      name: 'Nightly Roster',
      kind: 'students',
      active: true,
      connection: { protocol: 'sftp', host: 'files.example.org', username: 'svc', password: 'pw', directoryPath: 'ScheduledImports/Roster' },
      schedule: { frequency: 'daily', time: '22:00' },
      notify: { emails: ['data@district.org', 'sis@district.org'] },
    },
  ],
  'PATCH /api/imports/{id}': [
    { connection: { trust: { sha256: FINGERPRINT, keyType: 'ssh-ed25519' } } },
    { schedule: { frequency: 'daily', time: '22:00' } },
    { schedule: { frequency: 'weekly', time: '06:15', weekday: 'monday' } },
    { schedule: { frequency: 'monthly', time: '23:30', dayOfMonth: 1 } },
    { schedule: null },
  ],
  'POST /api/imports/{id}/batch': [
    { startAt: '2026-12-01T22:00:00-06:00' },
    { startAt: '2026-12-02T04:00:00Z', highPriority: true, keepUntilDeleted: true },
  ],
  'POST /api/schools': [{ code: 'LHS', name: 'Lincoln High' }],
  'POST /api/orders': [
    { kind: 'enterprise', licenses: 500 },
    { kind: 'regular', schoolCode: 'WMS', licenses: 30 },
  ],
  'POST /api/orders/{id}/students': [
    { studentNumber: '000123', status: 'active' },
    { studentNumber: '000124', status: 'deactivated' },
  ],
};
