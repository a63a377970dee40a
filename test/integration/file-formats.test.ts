import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startSshd, type TestSshd } from '../sources/sshd';
import { createDistrictWithKey, putServerFile } from '../support/fixtures';
import { startTestSystem, waitForRun, type TestSystem } from '../support/system';

/** The mapping's options end to end: tab files without a header, latin1, other identifiers and date formats, awkward rows. */
describe('file formats through a run', () => {
  let system: TestSystem;
  let sshd: TestSshd;
  let key = '';
  let lastRunId = '';

  async function runImport(name: string, mapping: Record<string, unknown>, dir: string) {
    const m = await system.call('POST', '/api/mappings', { key, body: mapping });
    assert.equal(m.status, 201, m.text);
    const imp = await system.call('POST', '/api/imports', { key, body: { name, kind: 'eligibility', mappingId: m.body.id, connection: sshd.connection(dir) } });
    assert.equal(imp.status, 201, imp.text);
    const started = await system.call('POST', `/api/imports/${imp.body.id}/run`, { key });
    const run = await waitForRun(system, key, started.body.runId);
    assert.equal(run.status, 'completed', JSON.stringify(run.error));
    lastRunId = started.body.runId;
    return (await system.call('GET', `/api/runs/${started.body.runId}/report`, { key })).body;
  }

  before(async () => {
    [system, sshd] = await Promise.all([startTestSystem({ chunkSize: 2 }), startSshd()]);
    ({ key } = await createDistrictWithKey(system, 'Formats USD'));
    await system.call('PUT', '/api/students', {
      key,
      body: [
        { studentNumber: 'S1', stateId: '0042', personId: 'P-1', firstName: 'Zoë', lastName: 'Müller' },
        { studentNumber: 'S2', stateId: '0043', personId: 'P-2', firstName: 'Bo', lastName: 'Kim' },
      ],
    });
  });
  after(async () => {
    await sshd?.stop();
    await system?.stop();
  });

  it('reads a tab-separated latin1 file without a header, by position and person id', async () => {
    const rows = ['P-1\tF\tD\t8/1/2025\t\tCafé Menu', 'P-2\tR\tI\t9/15/2025\t6/30/2026\tNo Match Here', 'P-9\tF\tD\t8/1/2025\t\tX'];
    putServerFile(sshd, 'tab', 'IC_Eligibility_tab.txt', Buffer.from(rows.join('\n') + '\n', 'latin1'));
    const report = await runImport('Tab Latin1', {
      name: 'tab', schoolYear: 2026, format: 'tab', hasHeader: false, encoding: 'latin1', dateFormat: 'M/D/YYYY', identifier: 'personId',
      columns: { personId: 1, eligibility: 2, certifiedType: 3, startDate: 4, endDate: 5, applicationName: 6 },
    }, 'tab');
    assert.deepEqual(report.summary, { new: 2, updated: 0, ended: 0, removed: 0, existing: 0, errors: 1, warnings: 0 });
    assert.equal(report.records[0].applicationName, 'Café Menu');
    assert.equal(report.records[0].name, 'Müller, Zoë');
    assert.equal(report.records[1].endDate, '2026-06-30');
    assert.deepEqual(report.problems.map((p: { line: number; code: string }) => [p.line, p.code]), [[3, 'STUDENT_NOT_FOUND']]);
  });

  it('matches header names in any order, by state id with leading zeros, and keeps line numbers right after a quoted line break', async () => {
    const csv = [
      'Notes,End,Start,State ID,Status,Type',
      '"two\nlines",,2025-08-01,0042,F,D', // line 2-3
      'x,2027-01-01,2025-09-01,0043,R,I', // line 4: end after Dec 31, 2026 → DATE_RANGE
      'x,,,0043,R,I', // line 5: no start → MISSING_FIELD
      'x,"unclosed,2025-09-01,0043,R,I', // line 6: malformed quote → MALFORMED_ROW, reading goes on
      'x,,2025-09-01,0043,R,I', // line 7: applies
      'x,,2025-07-01,42,F,D', // line 8: no leading zeros → another student, not found
    ].join('\r\n');
    putServerFile(sshd, 'csv', 'IC_Eligibility_csv.csv', Buffer.from(csv + '\r\n'));
    const report = await runImport('Header Order', {
      name: 'csv', schoolYear: 2026, format: 'csv', hasHeader: true, dateFormat: 'YYYY-MM-DD', identifier: 'stateId',
      columns: { stateId: 'State ID', eligibility: 'Status', certifiedType: 'Type', startDate: 'Start', endDate: 'End' },
    }, 'csv');
    assert.deepEqual(
      report.problems.map((p: { line: number; code: string }) => [p.line, p.code]),
      [
        [4, 'DATE_RANGE'],
        [5, 'MISSING_FIELD'],
        [6, 'MALFORMED_ROW'],
        [8, 'STUDENT_NOT_FOUND'],
      ],
    );
    assert.deepEqual(report.records.map((r: { line: number; studentNumber: string; status: string }) => [r.line, r.studentNumber, r.status]), [
      [2, 'S1', 'Existing'], // the first test gave S1 this very record
      [7, 'S2', 'Removed'], // the first test's R record for S2 starts later (09/15) than this row
      [7, 'S2', 'New'],
    ]);
  });

  // The report's bytes are a contract (scripts parse them): key order, nulls, CSV quoting and column order.
  it('the last report reads exactly so, as JSON and as CSV', async () => {
    const json = await system.call('GET', `/api/runs/${lastRunId}/report`, { key });
    const record = (line: number, name: string, student: string, start: string, end: string | null, code: string, type: string, app: string | null, status: string) =>
      JSON.stringify({ file: 'IC_Eligibility_csv.csv', line, name, studentNumber: student, schoolYear: 2026, startDate: start, endDate: end, eligibility: code, certifiedType: type, applicationName: app, referenceNumber: null, status });
    const problem = (line: number, code: string, message: string) => JSON.stringify({ file: 'IC_Eligibility_csv.csv', line, severity: 'error', code, message });
    assert.equal(
      json.text,
      `{"runId":"${lastRunId}","mode":"run","status":"completed",` +
        '"summary":{"new":1,"updated":0,"ended":0,"removed":1,"existing":1,"errors":4,"warnings":0},' +
        `"records":[${[
          record(2, 'Müller, Zoë', 'S1', '2025-08-01', null, 'F', 'D', 'Café Menu', 'Existing'),
          record(7, 'Kim, Bo', 'S2', '2025-09-15', '2026-06-30', 'R', 'I', 'No Match Here', 'Removed'),
          record(7, 'Kim, Bo', 'S2', '2025-09-01', null, 'R', 'I', null, 'New'),
        ].join(',')}],` +
        `"problems":[${[
          problem(4, 'DATE_RANGE', 'End date 2027-01-01 is after 2026-12-31, the latest a school year 2026 record may carry over to.'),
          problem(5, 'MISSING_FIELD', 'The start date (column "Start") is empty.'),
          problem(6, 'MALFORMED_ROW', 'A quoted field is not closed before the end of the file.'),
          problem(8, 'STUDENT_NOT_FOUND', 'No student of the district has stateId "42".'),
        ].join(',')}],"next":null}`,
    );
    const csv = await system.call('GET', `/api/runs/${lastRunId}/report`, { key, headers: { accept: 'text/csv' } });
    assert.equal(
      csv.text,
      [
        'type,file,line,name,studentNumber,schoolYear,startDate,endDate,eligibility,certifiedType,applicationName,referenceNumber,status,severity,code,message',
        'record,IC_Eligibility_csv.csv,2,"Müller, Zoë",S1,2026,2025-08-01,,F,D,Café Menu,,Existing,,,',
        'record,IC_Eligibility_csv.csv,7,"Kim, Bo",S2,2026,2025-09-15,2026-06-30,R,I,No Match Here,,Removed,,,',
        'record,IC_Eligibility_csv.csv,7,"Kim, Bo",S2,2026,2025-09-01,,R,I,,,New,,,',
        'problem,IC_Eligibility_csv.csv,4,,,,,,,,,,,error,DATE_RANGE,"End date 2027-01-01 is after 2026-12-31, the latest a school year 2026 record may carry over to."',
        'problem,IC_Eligibility_csv.csv,5,,,,,,,,,,,error,MISSING_FIELD,"The start date (column ""Start"") is empty."',
        'problem,IC_Eligibility_csv.csv,6,,,,,,,,,,,error,MALFORMED_ROW,A quoted field is not closed before the end of the file.',
        'problem,IC_Eligibility_csv.csv,8,,,,,,,,,,,error,STUDENT_NOT_FOUND,"No student of the district has stateId ""42""."',
        '',
      ].join('\r\n'),
    );
  });
});
