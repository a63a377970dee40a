import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import proto from '@temporalio/proto';
import { readDelimited, isProblemRecord } from '../../domain/delimited';
import { startSshd, type TestSshd } from '../sources/sshd';
import { makeServerDir, putServerFile, runToReport, SHORT_HEADER_MAPPING, waitForAfterRun } from '../support/fixtures';
import { addStudents, createRosterDistrict, createRosterImport, licenceViolations, rosterLine, rosterSnapshot, type RosterDistrict } from '../support/roster';
import { SINK_FROM, startSmtpSink, type SmtpSink } from '../support/smtp-sink';
import { startTestSystem, type TestSystem } from '../support/system';

const HEADER = 'school_code,student_id,last_name,first_name,grade,date_of_birth,username,status';
// Row values that must never reach Temporal history or an e-mail: one in an applied row, one in a failing row.
const APPLIED_MARKER = 'Applied-Rowdata-4417';
const FAILING_MARKER = 'Failing-Rowdata-9053';
const RECIPIENTS = ['data@district.test', 'sis@district.test'];

/**
 * A nightly roster file with valid rows and every row error, in file order. Before it: e1, x1 and u1 are
 * active on the enterprise order (4 licences, so 3 held). Rows see what earlier rows did: line 17 gives
 * the username line 2 gave n1 (case aside).
 */
const MIXED_ROWS: [string, string | null][] = [
  [`LHS,n1,${APPLIED_MARKER},Ana,K,03/14/2019,alopez,A`, null], // 2: added, 1 licence (4 held)
  ['LHS,n2,Kim,Bo,5,01/02/2014,,X', null], // 3: added deactivated
  ['LHS,e1,Ng,Cy,7,01/02/2012,,D', null], // 4: deactivated, its licence back (3 held)
  ['', 'BLANK_LINE'], // 5
  ['LHS,"n3"x,Bad,Quote,5,01/02/2014,,A', 'MALFORMED_ROW'], // 6
  ['LHS,n1,Lopez,Ana,K,03/14/2019,alopez,A', 'DUPLICATE_ID'], // 7
  ['LHS,n4,Short,Row,5', 'MISSING_ELEMS'], // 8
  ['LHS,n5,Smith, Jr,Ed,5,01/02/2014,,A', 'EXTRA_ELEMS'], // 9
  [`LHS,n6,${'L'.repeat(101)},Long,5,01/02/2014,,A`, 'FIELD_TOO_LONG'], // 10
  ['LHS,n7,Fox,Gus,13,01/02/2014,,A', 'GRADE_FORMAT'], // 11
  ['LHS,n8,Fox,Hal,5,02/30/2014,,A', 'DOB_FORMAT'], // 12
  [`LHS,n9,Fox,${FAILING_MARKER},5,01/02/2014,,Q`, 'STATUS_FORMAT'], // 13
  ['ZZZ,n10,Fox,Jo,5,01/02/2014,,A', 'SCHOOL_ERR'], // 14
  ['LHS,x1,Vu,Lee,5,01/02/2014,,X', 'STUDENT_EXISTS'], // 15
  ['LHS,n11,Gone,Kai,5,01/02/2014,,D', 'STUDENT_NOT_FOUND'], // 16
  ['LHS,n12,Dup,User,5,01/02/2014,ALopez,A', 'DUPLICATE_USERNAME'], // 17
  ['LHS,n13,Last,Lic,5,01/02/2014,,A', null], // 18: added, the last licence (4 held)
  ['LHS,n14,No,Lic,5,01/02/2014,,A', 'MISSING_LICENSES'], // 19
];
// CRLF line ends and blank lines after the last row: those are not rows
const MIXED_FILE = [HEADER, ...MIXED_ROWS.map(([row]) => row)].join('\r\n') + '\r\n\r\n\r\n';
const EXPECTED_PROBLEMS = MIXED_ROWS.flatMap(([, code], i) => (code ? [[i + 2, code]] : []));

/** The row error codes RULES.md and the README name, each of which MIXED_FILE must show. */
const ROW_ERROR_CODES = [
  'MALFORMED_ROW',
  'DUPLICATE_ID',
  'BLANK_LINE',
  'MISSING_ELEMS',
  'EXTRA_ELEMS',
  'FIELD_TOO_LONG',
  'GRADE_FORMAT',
  'DOB_FORMAT',
  'STATUS_FORMAT',
  'SCHOOL_ERR',
  'STUDENT_EXISTS',
  'STUDENT_NOT_FOUND',
  'DUPLICATE_USERNAME',
  'MISSING_LICENSES',
];

/**
 * The roster import as a district runs it: over real SFTP (OpenSSH), a real SMTP server, Temporal,
 * PostgreSQL and the worker. Chunks of 5 rows, so a file spans several chunk transactions.
 */
describe('student roster import end to end over SFTP, with e-mail', () => {
  let system: TestSystem;
  let sshd: TestSshd;
  let sink: SmtpSink;
  let district: RosterDistrict;
  let importId = '';
  let dir = '';
  let workflowsStarted = 0;
  const key = () => district.key;
  const put = (content: string, name = 'students.csv') => putServerFile(sshd, 'Roster', name, content);
  const start = (mode: 'test' | 'run', id = importId) => (workflowsStarted++, runToReport(system, key(), id, mode));
  const student = async (studentNumber: string) => (await system.call('GET', `/api/students/${studentNumber}`, { key: key() })).body;

  before(async () => {
    sink = await startSmtpSink();
    [system, sshd] = await Promise.all([startTestSystem({ chunkSize: 5, mail: sink.mail }), startSshd()]);
    dir = makeServerDir(sshd, 'Roster');
  });
  after(async () => {
    await sshd?.stop();
    await system?.stop();
    await sink?.stop();
  });

  it('sets up the district, and Test Connection of a students import needs no mapping', async () => {
    district = await createRosterDistrict(system, 'Roster USD', { schools: ['LHS', 'WMS'], enterpriseLicenses: 4, regularLicenses: { WMS: 2 } });
    await addStudents(system, district, [
      { studentNumber: 'e1', status: 'active' },
      { studentNumber: 'x1', status: 'active' },
      { studentNumber: 'u1', status: 'active' },
    ]);

    const withMapping = await system.call('POST', '/api/imports', {
      key: key(),
      body: { name: 'Roster With Mapping', kind: 'students', mappingId: '0f8fad5b-d9cb-469f-a165-70867728950e', connection: sshd.connection('Roster') },
    });
    assert.equal(withMapping.status, 422, withMapping.text);
    assert.deepEqual(withMapping.body.error.details.map((d: { field: string }) => d.field), ['mappingId']);

    importId = await createRosterImport(system, district, sshd.connection('Roster'), { notify: { emails: RECIPIENTS } });
    const got = await system.call('GET', `/api/imports/${importId}`, { key: key() });
    assert.deepEqual([got.body.kind, got.body.mappingId, got.body.notify], ['students', null, { emails: RECIPIENTS }]);

    put('school_code\n', 'readme.txt');
    const tested = await (workflowsStarted++, system.call('POST', `/api/imports/${importId}/test-connection`, { key: key() }));
    assert.equal(tested.status, 200, tested.text);
    assert.equal(tested.body.ok, true, tested.text);
    assert.deepEqual(tested.body.files.map((f: { name: string }) => f.name), ['readme.txt']);
  });

  let testReport: any;
  it('Test Import reports every row error and writes, renames and sends nothing', async () => {
    put(MIXED_FILE);
    const before = await rosterSnapshot(system.db, district.districtId);
    const { run, report } = await start('test');
    assert.equal(run.status, 'completed', JSON.stringify(run.error));
    testReport = report;
    assert.deepEqual(report.summary, { added: 3, updated: 0, activated: 0, deactivated: 1, errors: 14 });
    assert.deepEqual(report.problems.map((p: { line: number; code: string }) => [p.line, p.code]), EXPECTED_PROBLEMS);
    assert.deepEqual([...new Set(report.problems.map((p: { code: string }) => p.code))].sort(), [...ROW_ERROR_CODES].sort(), 'every row error code is in the file');
    assert.deepEqual(
      report.records.map((r: { line: number; studentNumber: string; statusCode: string; outcome: string }) => [r.line, r.studentNumber, r.statusCode, r.outcome]),
      [
        [2, 'n1', 'A', 'added'],
        [3, 'n2', 'X', 'added'],
        [4, 'e1', 'D', 'deactivated'],
        [18, 'n13', 'A', 'added'],
      ],
    );

    assert.deepEqual(await rosterSnapshot(system.db, district.districtId), before, 'a dry run changes no data');
    assert.deepEqual(readdirSync(dir).sort(), ['readme.txt', 'students.csv'], 'a dry run renames nothing and writes no error file');
    assert.equal(run.afterRun, null, 'a dry run has no after-run step');
    // the Run below is the next message: had this test sent one, the first message would be its
    assert.equal(sink.messages.length, 0);
  });

  let errorFileName = '';
  it('Run applies the valid rows, reports exactly what the test reported, writes the error file, renames students.csv and e-mails the failure', async () => {
    const { run, report } = await start('run');
    assert.equal(run.status, 'completed', JSON.stringify(run.error));
    assert.deepEqual(report.summary, testReport.summary);
    assert.deepEqual(report.records, testReport.records);
    assert.deepEqual(report.problems, testReport.problems);

    const n1 = await student('n1');
    assert.deepEqual([n1.status, n1.orderId, n1.lastName, n1.grade, n1.dateOfBirth, n1.username], ['active', district.enterpriseOrderId, APPLIED_MARKER, 'K', '2019-03-14', 'alopez']);
    assert.deepEqual([(await student('n2')).status, (await student('e1')).status, (await student('n13')).status], ['deactivated', 'deactivated', 'active']);
    for (const absent of ['n3', 'n4', 'n5', 'n6', 'n7', 'n8', 'n9', 'n10', 'n11', 'n12', 'n14']) {
      assert.equal((await system.call('GET', `/api/students/${absent}`, { key: key() })).status, 404, absent);
    }
    const orders = (await system.call('GET', '/api/orders', { key: key() })).body;
    const enterprise = orders.find((o: { kind: string }) => o.kind === 'enterprise');
    assert.deepEqual([enterprise.purchased, enterprise.held, enterprise.free], [4, 4, 0]);
    assert.deepEqual(await licenceViolations(system.db, district.districtId), []);

    const names = readdirSync(dir).sort();
    const processed = names.find((n) => n.startsWith('P_students'));
    assert.match(processed ?? '', /^P_students_\d{8}T\d{6}Z\.csv$/);
    assert.equal(run.files[0].renamedTo, processed);
    assert.ok(!names.includes('students.csv'));

    const done = await waitForAfterRun(system, key(), run.id);
    errorFileName = done.afterRun.errorFile;
    assert.match(errorFileName, /^students_errors_\d{8}T\d{6}Z\.csv$/);
    assert.deepEqual(done.afterRun, { errorFile: errorFileName, email: 'sent', problems: [] });
    assert.ok(readdirSync(dir).includes(errorFileName), 'the error file is in the import\'s directory');

    const records: string[][] = [];
    for await (const record of readDelimited([readFileSync(join(dir, errorFileName))], { delimiter: ',' })) {
      assert.ok(!isProblemRecord(record), 'the error file is well-formed CSV');
      records.push(record.fields);
    }
    assert.deepEqual(records[0], ['line', 'code', 'message', ...HEADER.split(',')]);
    assert.deepEqual(
      records.slice(1).map((r) => [Number(r[0]), r[1]]),
      EXPECTED_PROBLEMS,
    );
    const byLine = new Map(records.slice(1).map((r) => [Number(r[0]), r]));
    assert.deepEqual(byLine.get(9)!.slice(3), ['LHS', 'n5', 'Smith', ' Jr', 'Ed', '5', '01/02/2014', '', 'A'], 'the row as the file had it: 9 fields');
    assert.deepEqual(byLine.get(13)!.slice(3), ['LHS', 'n9', 'Fox', FAILING_MARKER, '5', '01/02/2014', '', 'Q']);
    assert.deepEqual(byLine.get(5)!.slice(3), [''], 'a blank line has one empty field');
    assert.deepEqual(byLine.get(6)!.slice(3), [], 'a row that could not be read has no fields');
    assert.equal(byLine.get(19)![2], testReport.problems.find((p: { line: number }) => p.line === 19).message);

    const [mail] = await sink.waitForMessages(1);
    assert.deepEqual([mail!.from, mail!.to], [SINK_FROM, RECIPIENTS]);
    assert.equal(mail!.subject, 'Import "Nightly Roster": completed, 14 rows failed');
    assert.match(mail!.text, /added 3, updated 0, activated 0, deactivated 1, errors 14\./);
    assert.match(mail!.text, /14 rows failed: .*MISSING_LICENSES 1/);
    assert.ok(mail!.text.includes(`are in ${errorFileName} in the same directory`), mail!.text);
    assert.ok(mail!.text.includes(`renamed to ${processed}`), mail!.text);
    for (const marker of [APPLIED_MARKER, FAILING_MARKER, 'alopez']) assert.ok(!mail!.text.includes(marker), `no row data in the e-mail: ${marker}`);
  });

  it('a clean file: the e-mail gives the counts, and no error file is written', async () => {
    put(`${HEADER}\n${rosterLine('n1', 'D')}\n${rosterLine('n2', 'A')}\n${rosterLine('e1', 'I')}\n`);
    const filesBefore = readdirSync(dir).filter((n) => n.startsWith('students_errors_'));
    const { run, report } = await start('run');
    assert.equal(run.status, 'completed', JSON.stringify(run.error));
    assert.deepEqual(report.summary, { added: 0, updated: 1, activated: 1, deactivated: 1, errors: 0 });
    const done = await waitForAfterRun(system, key(), run.id);
    assert.deepEqual(done.afterRun, { errorFile: null, email: 'sent', problems: [] });
    assert.deepEqual(readdirSync(dir).filter((n) => n.startsWith('students_errors_')), filesBefore);

    const mail = (await sink.waitForMessages(2))[1]!;
    assert.deepEqual(mail.to, RECIPIENTS);
    assert.equal(mail.subject, 'Import "Nightly Roster": completed');
    assert.match(mail.text, /added 0, updated 1, activated 1, deactivated 1, errors 0\./);
    assert.doesNotMatch(mail.text, /failed/);
  });

  it('a wrong header fails the file with HEADER_MISMATCH: nothing applied, the file left in place, the failure e-mailed', async () => {
    put(`school,student_id,last_name,first_name,grade,date_of_birth,username,status\n${rosterLine('n20', 'A')}\n`);
    const before = await rosterSnapshot(system.db, district.districtId);
    const { run, report } = await start('run');
    assert.equal(run.files[0].status, 'failed');
    assert.deepEqual(report.problems.map((p: { file: string; line: number | null; code: string }) => [p.file, p.line, p.code]), [['students.csv', null, 'HEADER_MISMATCH']]);
    assert.deepEqual(report.records, []);
    assert.deepEqual(await rosterSnapshot(system.db, district.districtId), before, 'nothing applied');
    assert.ok(existsSync(join(dir, 'students.csv')), 'the file stays in place');

    const done = await waitForAfterRun(system, key(), run.id);
    assert.deepEqual(done.afterRun, { errorFile: null, email: 'sent', problems: [] });
    const mail = (await sink.waitForMessages(3))[2]!;
    assert.deepEqual(mail.to, RECIPIENTS);
    assert.equal(mail.subject, 'Import "Nightly Roster": FAILED');
    assert.match(mail.text, /students\.csv: NOT applied \(HEADER_MISMATCH\)/);
    assert.match(mail.text, /left in place/);
  });

  it('an e-mail the server refuses is recorded on the run, which keeps its status and its changes', async () => {
    put(`${HEADER}\n${rosterLine('n21', 'X')}\n`);
    sink.refuse(true);
    try {
      const { run } = await start('run');
      assert.equal(run.status, 'completed', JSON.stringify(run.error));
      const done = await waitForAfterRun(system, key(), run.id);
      assert.equal(done.status, 'completed');
      assert.equal(done.afterRun.email, 'failed');
      assert.deepEqual(done.afterRun.problems.map((p: { code: string }) => p.code), ['EMAIL_NOT_SENT']);
      assert.match(done.afterRun.problems[0].message, /2 address\(es\) was not sent: .*550/);
      assert.equal((await student('n21')).status, 'deactivated');
    } finally {
      sink.refuse(false);
    }
    assert.equal(sink.messages.length, 3);
  });

  it('only students.csv is taken: a partial upload is left with a warning, other names and processed files are ignored; no file, no e-mail', async () => {
    put(`${HEADER}\n${rosterLine('n30', 'A')}\n`, 'students.csv.part');
    put(`${HEADER}\n${rosterLine('n31', 'A')}\n`, 'Students.csv');
    put(`${HEADER}\n${rosterLine('n32', 'A')}\n`, 'P_students_20260101T000000Z.csv');
    const sent = sink.messages.length;
    const { run, report } = await start('run');
    assert.equal(run.status, 'completed', JSON.stringify(run.error));
    assert.deepEqual(run.files, []);
    assert.deepEqual(report.problems.map((p: { file: string; code: string }) => `${p.file}:${p.code}`), ['students.csv.part:FILE_STILL_WRITING']);
    for (const name of ['students.csv.part', 'Students.csv', 'P_students_20260101T000000Z.csv']) assert.ok(existsSync(join(dir, name)), name);
    const done = await waitForAfterRun(system, key(), run.id);
    assert.deepEqual(done.afterRun, { errorFile: null, email: 'none', problems: [] });
    assert.equal(sink.messages.length, sent);
  });

  it('a students import runs on its schedule', async () => {
    put(`${HEADER}\n${rosterLine('n40', 'X')}\n`);
    const patched = await system.call('PATCH', `/api/imports/${importId}`, { key: key(), body: { schedule: { frequency: 'daily', time: '03:00' } } });
    assert.equal(patched.status, 200, patched.text);
    let scheduleId = '';
    for await (const schedule of system.client.schedule.list()) if (schedule.scheduleId.includes(importId.slice(0, 8))) scheduleId = schedule.scheduleId;
    await (workflowsStarted++, system.client.schedule.getHandle(scheduleId).trigger());
    let runs: { id: string; trigger: string }[] = [];
    for (let i = 0; i < 200 && runs[0]?.trigger !== 'schedule'; i++) {
      runs = (await system.call('GET', `/api/runs?importId=${importId}&limit=1`, { key: key() })).body;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(runs[0]?.trigger, 'schedule');
    const done = await waitForAfterRun(system, key(), runs[0]!.id);
    assert.equal(done.status, 'completed', JSON.stringify(done.error));
    assert.deepEqual(done.summary, { added: 1, updated: 0, activated: 0, deactivated: 0, errors: 0 });
    assert.equal((await student('n40')).status, 'deactivated');
    assert.equal((await system.call('PATCH', `/api/imports/${importId}`, { key: key(), body: { schedule: null } })).status, 200);
    const withMapping = await system.call('PATCH', `/api/imports/${importId}`, { key: key(), body: { mappingId: '0f8fad5b-d9cb-469f-a165-70867728950e' } });
    assert.equal(withMapping.status, 422, 'a students import takes no mapping, in a PATCH either');
  });

  it('two roster imports of the district at once, over the same students: both complete, licences conserved', async () => {
    const students = Array.from({ length: 24 }, (_, i) => `s${String(i)}`);
    const codes = ['A', 'D', 'X', 'I', 'A', 'A'];
    const file = (shift: number) => [HEADER, ...students.map((s, i) => rosterLine(s, codes[(i + shift) % codes.length]!, i % 3 === 0 ? 'WMS' : 'LHS'))].join('\n') + '\n';
    putServerFile(sshd, 'RosterNorth', 'students.csv', file(0));
    const north = await createRosterImport(system, district, sshd.connection('RosterNorth'), { name: 'Roster North' });
    putServerFile(sshd, 'RosterSouth', 'students.csv', file(3));
    const south = await createRosterImport(system, district, sshd.connection('RosterSouth'), { name: 'Roster South' });
    // make licences scarce: 6 more than the 5 active now
    await system.db.query(`update orders set purchased = held + 6 where id = $1`, [district.enterpriseOrderId]);

    const [a, b] = await Promise.all([start('run', north), start('run', south)]);
    assert.equal(a.run.status, 'completed', JSON.stringify(a.run.error));
    assert.equal(b.run.status, 'completed', JSON.stringify(b.run.error));
    assert.equal(a.report.summary.errors + b.report.summary.errors > 0, true, 'some rows ran out of licences or met the other import');
    assert.ok([...a.report.problems, ...b.report.problems].some((p: { code: string }) => p.code === 'MISSING_LICENSES'), 'the two competed for the last licences');

    const orders = (await system.call('GET', '/api/orders', { key: key() })).body as { id: string; purchased: number; held: number; free: number }[];
    for (const o of orders) assert.equal(o.free + o.held, o.purchased, JSON.stringify(o));
    const { rows } = await system.db.query<{ id: string; active: number }>(
      `select o.id, (select count(*)::int from students s where s.order_id = o.id and s.status = 'active') as active from orders o where o.district_id = $1`,
      [district.districtId],
    );
    for (const o of orders) assert.equal(o.held, rows.find((r) => r.id === o.id)!.active, `held = active students of order ${o.id}`);
    assert.deepEqual(await licenceViolations(system.db, district.districtId), []);
  });

  it('an eligibility import with notify e-mails its summary after a run', async () => {
    await system.call('PUT', '/api/students', { key: key(), body: [{ studentNumber: 'el1', firstName: 'A', lastName: 'B' }] });
    const mapping = await system.call('POST', '/api/mappings', { key: key(), body: SHORT_HEADER_MAPPING });
    const created = await system.call('POST', '/api/imports', {
      key: key(),
      body: { name: 'Eligibility Nightly', kind: 'eligibility', mappingId: mapping.body.id, connection: sshd.connection('Eligibility'), notify: { emails: ['meals@district.test'] } },
    });
    assert.equal(created.status, 201, created.text);
    putServerFile(sshd, 'Eligibility', 'IC_Eligibility_1.csv', 'ID,S,T,A,B\nel1,F,D,08/01/2025,\nnobody,F,D,08/01/2025,\n');
    const sent = sink.messages.length;
    const { run } = await start('run', created.body.id);
    assert.equal(run.status, 'completed', JSON.stringify(run.error));
    const done = await waitForAfterRun(system, key(), run.id);
    assert.deepEqual(done.afterRun, { errorFile: null, email: 'sent', problems: [] });
    const mail = (await sink.waitForMessages(sent + 1))[sent]!;
    assert.deepEqual(mail.to, ['meals@district.test']);
    assert.equal(mail.subject, 'Import "Eligibility Nightly": completed, 1 row failed');
    assert.match(mail.text, /new 1, updated 0, ended 0, removed 0, existing 0, errors 1, warnings 0\./);
    assert.match(mail.text, /STUDENT_NOT_FOUND 1/);
  });

  it('no workflow history holds the password or row data', async () => {
    const password = String(sshd.connection('').password);
    let seen = 0;
    for await (const execution of system.client.workflow.list()) {
      const history = await system.client.workflow.getHandle(execution.workflowId, execution.runId).fetchHistory();
      const bytes = Buffer.from(proto.temporal.api.history.v1.History.encode(history).finish());
      for (const secret of [password, APPLIED_MARKER, FAILING_MARKER, ...RECIPIENTS]) assert.equal(bytes.includes(secret), false, `${secret} found in ${execution.workflowId}`);
      // the worker's maintenance schedules (reaper, retention) start workflows of their own: checked, not counted
      if (!execution.workflowId.startsWith('maintenance/')) seen++;
    }
    assert.equal(seen, workflowsStarted, 'every workflow the suite started was checked');
  });
});
