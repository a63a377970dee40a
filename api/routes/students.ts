import { Hono } from 'hono';
import { listStudentRecords } from '../../db/queries/eligibility-records';
import { findStudentByNumber, upsertStudents } from '../../db/queries/students';
import { districtOf, requireRight } from '../auth';
import { notFound, readBody } from '../errors';
import type { AppEnv } from '../env';
import { studentsBody } from '../schemas';

export const studentRoutes = new Hono<AppEnv>()
  .put('/', async (c) => {
    requireRight(c, 'imports.write');
    const districtId = await districtOf(c);
    const body = await readBody(c, studentsBody);
    const upserted = await upsertStudents(c.var.deps.db, districtId, body);
    return c.json({ upserted });
  })
  .get('/:studentNumber', async (c) => {
    requireRight(c, 'imports.read');
    const districtId = await districtOf(c);
    const student = await findStudentByNumber(c.var.deps.db, districtId, c.req.param('studentNumber'));
    if (!student) throw notFound('Student');
    const records = await listStudentRecords(c.var.deps.db, student.id);
    return c.json({
      studentNumber: student.studentNumber,
      stateId: student.stateId,
      personId: student.personId,
      firstName: student.firstName,
      lastName: student.lastName,
      birthDate: student.birthDate,
      schoolCode: student.schoolCode,
      grade: student.grade,
      // the roster's name for birthDate
      dateOfBirth: student.birthDate,
      username: student.username,
      status: student.status,
      orderId: student.orderId,
      eligibility: records.map((r) => ({
        schoolYear: r.schoolYear,
        startDate: r.startDate,
        endDate: r.endDate,
        eligibility: r.eligibility,
        certifiedType: r.certifiedType,
        applicationName: r.applicationName,
        referenceNumber: r.referenceNumber,
      })),
    });
  });
