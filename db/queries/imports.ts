import type { ConnectionSettings } from '../../domain/connection';
import type { ImportSchedule } from '../../domain/schedule-spec';
import type { Queryable } from './queryable';

export type ScheduleSettings = ImportSchedule;

export interface StoredImport {
  id: string;
  districtId: string;
  name: string;
  /** Resolved through the kind registry (kinds/index.ts), which refuses a kind this build does not run. */
  kind: string;
  active: boolean;
  mappingId: string | null;
  connection: ConnectionSettings;
  /** Which secrets are stored, e.g. ['password']; the values never leave activities. */
  secretFields: string[];
  schedule: ScheduleSettings | null;
  notify: { emails: string[] } | null;
  createdAt: string;
  updatedAt: string;
}

/** What a save writes: the stored fields (timestamps aside) plus the sealed secrets. */
export interface ImportWrite extends Omit<StoredImport, 'createdAt' | 'updatedAt'> {
  sealedSecrets: Buffer | null;
}

const COLUMNS = `id, district_id as "districtId", name, kind, active, mapping_id as "mappingId", connection,
  secret_fields as "secretFields", schedule, notify, created_at as "createdAt", updated_at as "updatedAt"`;

export async function insertImport(db: Queryable, i: ImportWrite): Promise<StoredImport> {
  const { rows } = await db.query<StoredImport>(
    `insert into imports (id, district_id, name, kind, active, mapping_id, connection, secrets, secret_fields, schedule, notify)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) returning ${COLUMNS}`,
    [i.id, i.districtId, i.name, i.kind, i.active, i.mappingId, i.connection, i.sealedSecrets, i.secretFields, i.schedule, i.notify],
  );
  return rows[0]!;
}

export async function updateImport(db: Queryable, i: ImportWrite): Promise<StoredImport> {
  const { rows } = await db.query<StoredImport>(
    `update imports set name = $3, kind = $4, active = $5, mapping_id = $6, connection = $7, secrets = $8, secret_fields = $9,
       schedule = $10, notify = $11, updated_at = now()
     where id = $1 and district_id = $2 returning ${COLUMNS}`,
    [i.id, i.districtId, i.name, i.kind, i.active, i.mappingId, i.connection, i.sealedSecrets, i.secretFields, i.schedule, i.notify],
  );
  return rows[0]!;
}

export async function findImport(db: Queryable, districtId: string, id: string): Promise<StoredImport | undefined> {
  const { rows } = await db.query<StoredImport>(`select ${COLUMNS} from imports where district_id = $1 and id = $2`, [districtId, id]);
  return rows[0];
}

export async function findImportById(db: Queryable, id: string): Promise<StoredImport | undefined> {
  const { rows } = await db.query<StoredImport>(`select ${COLUMNS} from imports where id = $1`, [id]);
  return rows[0];
}

/** The import, its row locked until the transaction ends: a save of it waits, so what is done with it cannot be undone by older settings. */
export async function lockImport(db: Queryable, id: string): Promise<StoredImport | undefined> {
  const { rows } = await db.query<StoredImport>(`select ${COLUMNS} from imports where id = $1 for update`, [id]);
  return rows[0];
}

/** Every import that has a schedule, in any district. */
export async function listScheduledImportIds(db: Queryable): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>('select id from imports where schedule is not null order by id');
  return rows.map((row) => row.id);
}

export async function findSealedSecrets(db: Queryable, id: string): Promise<Buffer | null> {
  const { rows } = await db.query<{ secrets: Buffer | null }>('select secrets from imports where id = $1', [id]);
  return rows[0]?.secrets ?? null;
}

export async function listImports(db: Queryable, districtId: string): Promise<StoredImport[]> {
  const { rows } = await db.query<StoredImport>(`select ${COLUMNS} from imports where district_id = $1 order by name`, [districtId]);
  return rows;
}

export async function deleteImport(db: Queryable, districtId: string, id: string): Promise<boolean> {
  const { rowCount } = await db.query('delete from imports where district_id = $1 and id = $2', [districtId, id]);
  return (rowCount ?? 0) > 0;
}
