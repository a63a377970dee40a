import type { ApiErrorBody } from '../api-client';
import { ErrorSummary, Scroll, type FieldState } from '../fields';
import { bytes, describeSchedule, instant } from '../format';
import { ImportForm } from '../import-form-view';
import { CsrfField } from '../layout';
import { importPath, runPath, UI } from '../paths';

export type ConnectionResult =
  | { ok: true; latencyMs: number; files: { name: string; size: number; modifiedAt: string }[]; fingerprint?: string; session?: { dialect: string; signed: boolean; encrypted: boolean } }
  | { ok: false; error: { code: string; message: string; fingerprint?: string; keyType?: string } };

/** The codes whose fingerprint the admin may confirm: the server is not trusted yet, or no longer. */
const CONFIRMABLE = ['HOST_KEY_UNKNOWN', 'TLS_UNTRUSTED', 'HOST_KEY_MISMATCH'];

interface Props {
  imp: any;
  runs: any[];
  /** A roster import's licences: the district's orders. */
  orders?: any[];
  mappings: { id: string; name: string }[];
  csrf: string;
  rights: string[];
  form: FieldState;
  formError?: ApiErrorBody;
  connection?: ConnectionResult;
  batchError?: ApiErrorBody;
}

export function ImportDetail(props: Props) {
  const { imp, csrf } = props;
  const base = importPath(imp.id);
  const can = (right: string) => props.rights.includes(right);
  return (
    <>
      <section aria-labelledby="status-heading" class="card">
        <h2 id="status-heading">Status</h2>
        <dl class="facts">
          <dt>Kind</dt><dd>{imp.kind}</dd>
          <dt>Active</dt><dd>{imp.active ? 'yes' : 'no'}</dd>
          <dt>Connection</dt><dd>{`${imp.connection.protocol.toUpperCase()} ${imp.connection.host}:${imp.connection.port} /${imp.connection.directoryPath}`}</dd>
          <dt>Pinned fingerprint</dt><dd>{imp.connection.trust?.sha256 ?? 'none yet: Test Connection shows it'}</dd>
          <dt>Schedule</dt><dd>{describeSchedule(imp.schedule)}</dd>
          <dt>Next runs</dt><dd>{imp.nextRuns === null ? imp.nextRunsNote : imp.nextRuns?.length ? imp.nextRuns.map(instant).join(', ') : 'none'}</dd>
          <dt>Last run</dt><dd>{imp.lastRun ? <a href={runPath(imp.lastRun.id)}>{`${imp.lastRun.status}, ${instant(imp.lastRun.finishedAt ?? imp.lastRun.createdAt)}`}</a> : 'never run'}</dd>
        </dl>
      </section>

      {props.orders && (
        <section aria-labelledby="licences-heading" class="card">
          <h2 id="licences-heading">Licences</h2>
          {props.orders.length === 0 ? (
            <p>
              No orders yet: a roster run cannot activate students without licences. <a href={`${UI}/roster`}>Add an order</a>.
            </p>
          ) : (
            <table id="licences">
              <thead><tr><th scope="col">Order</th><th scope="col">School</th><th scope="col">Purchased</th><th scope="col">Held</th><th scope="col">Free</th></tr></thead>
              <tbody>
                {props.orders.map((o) => (
                  <tr><td>{o.kind}</td><td>{o.schoolCode ?? '—'}</td><td>{o.purchased}</td><td>{o.held}</td><td>{o.free}</td></tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      )}

      {can('imports.run') && (
        <section aria-labelledby="actions-heading" class="card">
          <h2 id="actions-heading">Actions</h2>
          <div class="actions">
            <form method="post" action={`${base}/test-connection`}>
              <CsrfField token={csrf} />
              <button type="submit">Test Connection</button>
            </form>
            <form method="post" action={`${base}/test`}>
              <CsrfField token={csrf} />
              <button type="submit">Test Import</button>
            </form>
            <form method="post" action={`${base}/run`}>
              <CsrfField token={csrf} />
              <button type="submit" disabled={!imp.active} aria-describedby={imp.active ? undefined : 'run-inactive'}>Run</button>
            </form>
          </div>
          {!imp.active && <p class="hint" id="run-inactive">Run needs an active import; Test Import works either way.</p>}
          {props.connection && <ConnectionOutcome result={props.connection} base={base} csrf={csrf} />}
        </section>
      )}

      {can('batch.submit') && <BatchForm base={base} csrf={csrf} rights={props.rights} error={props.batchError} />}

      <section aria-labelledby="runs-heading" class="card">
        <h2 id="runs-heading">Recent runs</h2>
        {props.runs.length === 0 ? (
          <p>No runs yet.</p>
        ) : (
          <Scroll label="Recent runs table">
            <table>
              <thead><tr><th scope="col">Started</th><th scope="col">Mode</th><th scope="col">Trigger</th><th scope="col">Status</th><th scope="col">Rows read</th></tr></thead>
              <tbody>
                {props.runs.map((run) => (
                  <tr>
                    <td><a href={runPath(run.id)}>{instant(run.startedAt ?? run.createdAt)}</a></td>
                    <td>{run.mode === 'test' ? 'Test Import' : 'Run'}</td>
                    <td>{run.trigger}</td>
                    <td><span class={`status ${run.status}`}>{run.status}</span></td>
                    <td>{run.progress?.rowsRead ?? 0}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Scroll>
        )}
      </section>

      <section aria-labelledby="edit-heading">
        <h2 id="edit-heading">Settings</h2>
        {props.imp.kind === 'eligibility' || props.imp.mappingId ? null : <p class="hint">Roster imports take no mapping.</p>}
        <ImportForm
          action={base}
          mode="edit"
          state={props.form}
          csrf={csrf}
          mappings={props.mappings}
          secretsSet={{ password: imp.connection.passwordSet, privateKey: imp.connection.privateKeySet, passphrase: imp.connection.passphraseSet }}
          error={props.formError}
        />
      </section>

      {can('imports.write') && (
        <section aria-labelledby="delete-heading" class="card danger">
          <h2 id="delete-heading">Delete</h2>
          <form method="post" action={`${base}/delete`} data-confirm="Delete this import and its schedule?">
            <CsrfField token={csrf} />
            <button type="submit">Delete import</button>
          </form>
        </section>
      )}
    </>
  );
}

function ConnectionOutcome(props: { result: ConnectionResult; base: string; csrf: string }) {
  const { result } = props;
  if (result.ok) {
    return (
      <div class="outcome ok" role="status" id="connection-result">
        <p><strong>Connected</strong> in {result.latencyMs} ms. Fingerprint {result.fingerprint ?? '—'}.</p>
        {result.session && <p>SMB {result.session.dialect}, signed: {String(result.session.signed)}, encrypted: {String(result.session.encrypted)}</p>}
        {result.files.length === 0 ? (
          <p>The directory is empty.</p>
        ) : (
          <table>
            <caption>Files waiting</caption>
            <thead><tr><th scope="col">Name</th><th scope="col">Size</th><th scope="col">Modified</th></tr></thead>
            <tbody>
              {result.files.map((f) => (
                <tr><td>{f.name}</td><td>{bytes(f.size)}</td><td>{instant(f.modifiedAt)}</td></tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    );
  }
  const { error } = result;
  const confirmable = error.fingerprint && CONFIRMABLE.includes(error.code);
  return (
    <div class="outcome failed" role="alert" id="connection-result">
      <p><strong>{error.code}</strong>: {error.message}</p>
      {confirmable && (
        <form method="post" action={`${props.base}/trust`}>
          <CsrfField token={props.csrf} />
          <input type="hidden" name="sha256" value={error.fingerprint} />
          {error.keyType && <input type="hidden" name="keyType" value={error.keyType} />}
          <p>
            The server presented the fingerprint <code class="fingerprint">{error.fingerprint}</code>
            {error.keyType ? ` (${error.keyType})` : ''}. Check it with the server's owner before trusting it.
          </p>
          <button type="submit">Trust this fingerprint</button>
        </form>
      )}
    </div>
  );
}

function BatchForm(props: { base: string; csrf: string; rights: string[]; error?: ApiErrorBody }) {
  const startError = props.error?.details.find((d) => d.field === 'startAt')?.message;
  return (
    <section aria-labelledby="batch-heading" class="card">
      <h2 id="batch-heading">Submit to Batch</h2>
      <form method="post" action={`${props.base}/batch`} class="batch-form">
        <CsrfField token={props.csrf} />
        <ErrorSummary error={props.error} shown={startError ? ['startAt'] : []} />
        <input type="hidden" name="tzOffsetMinutes" value="" data-tz-offset />
        <div class={startError ? 'field invalid' : 'field'}>
          <label for="f-startAt">Start at</label>
          <input id="f-startAt" name="startAt" type="datetime-local" aria-describedby={startError ? 'f-startAt-hint f-startAt-error' : 'f-startAt-hint'} aria-invalid={startError ? 'true' : undefined} />
          <span class="hint" id="f-startAt-hint">Your computer's local time; blank starts it now.</span>
          {startError && <span class="error" id="f-startAt-error">{startError}</span>}
        </div>
        {props.rights.includes('batch.setPriority') && (
          <div class="field check">
            <input id="f-highPriority" name="highPriority" type="checkbox" value="on" />
            <label for="f-highPriority">High Priority</label>
          </div>
        )}
        {props.rights.includes('batch.setExpiration') && (
          <div class="field check">
            <input id="f-keepUntilDeleted" name="keepUntilDeleted" type="checkbox" value="on" />
            <label for="f-keepUntilDeleted">Keep Until I Delete</label>
          </div>
        )}
        <button type="submit">Submit to Batch</button>
      </form>
    </section>
  );
}
