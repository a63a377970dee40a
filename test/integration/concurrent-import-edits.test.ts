import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startSshd, type TestSshd } from '../sources/sshd';
import { createDistrictWithKey, SHORT_HEADER_MAPPING } from '../support/fixtures';
import { startTestSystem, type TestSystem } from '../support/system';

/**
 * Saves of one import at the same moment (two admins, or a script retrying) each start from the
 * import as the one before left it: no 5xx, no setting undone by an older read, and exactly one
 * Temporal Schedule, under the import's final name.
 */
describe('edits of one import at the same moment', () => {
  let system: TestSystem;
  let sshd: TestSshd;
  let key = '';
  let mappingId = '';

  /** The ids of every import schedule that starts runs of this import. */
  const schedulesOf = async (importId: string) => {
    const ids: string[] = [];
    for await (const s of system.client.schedule.list()) if (s.scheduleId.endsWith(importId)) ids.push(s.scheduleId);
    return ids.sort();
  };
  const createScheduled = async (name: string) => {
    const created = await system.call('POST', '/api/imports', {
      key,
      body: { name, kind: 'eligibility', mappingId, connection: sshd.connection('in'), schedule: { frequency: 'daily', time: '22:00' } },
    });
    assert.equal(created.status, 201, created.text);
    return created.body.id as string;
  };
  const patch = (importId: string, body: unknown) => system.call('PATCH', `/api/imports/${importId}`, { key, body });

  before(async () => {
    [system, sshd] = await Promise.all([startTestSystem(), startSshd()]);
    ({ key } = await createDistrictWithKey(system, 'Edit Race USD', 'America/Chicago'));
    mappingId = (await system.call('POST', '/api/mappings', { key, body: SHORT_HEADER_MAPPING })).body.id;
  });
  after(async () => {
    await sshd?.stop();
    await system?.stop();
  });

  it('renames and other changes at once all succeed, and leave one schedule under the final name', async () => {
    const importId = await createScheduled('Racer');
    const edits = Array.from({ length: 12 }, (_, i) => (i % 3 === 2 ? { notify: null } : { name: i % 2 ? 'Racer Renamed' : 'Racer' }));
    const answers = await Promise.all(edits.map((body) => patch(importId, body)));
    assert.deepEqual(answers.map((a) => a.status), edits.map(() => 200), answers.map((a) => a.text).join('\n'));
    const finalName = (await system.call('GET', `/api/imports/${importId}`, { key })).body.name as string;
    const slug = finalName === 'Racer' ? 'racer' : 'racer-renamed';
    assert.deepEqual(await schedulesOf(importId), [`schedule/edit-race-usd/${slug}-${importId}`]);
  });

  it('a change does not undo another made at the same moment', async () => {
    const importId = await createScheduled('Two Admins');
    const [renamed, paused] = await Promise.all([patch(importId, { name: 'Two Admins Renamed' }), patch(importId, { active: false })]);
    assert.deepEqual([renamed.status, paused.status], [200, 200], `${renamed.text}\n${paused.text}`);
    const now = (await system.call('GET', `/api/imports/${importId}`, { key })).body;
    assert.deepEqual([now.name, now.active], ['Two Admins Renamed', false]);
  });

  it('a rename racing a delete leaves no schedule behind', async () => {
    const importId = await createScheduled('Doomed');
    const [renamed, deleted] = await Promise.all([patch(importId, { name: 'Doomed Renamed' }), system.call('DELETE', `/api/imports/${importId}`, { key })]);
    assert.equal(deleted.status, 204, deleted.text);
    assert.ok([200, 404].includes(renamed.status), renamed.text);
    assert.deepEqual(await schedulesOf(importId), []);
  });
});
