import { z } from 'zod';
import { listStudentRecords } from '../../db/queries/eligibility-records';
import { findStudentByNumber, upsertStudents } from '../../db/queries/students';
import type { EligibilityCode } from '../../kinds/eligibility/codes';
import { districtOf, requireRight } from '../auth';
import { notFound } from '../errors';
import { studentSchema, upsertedSchema } from '../response-schemas';
import { defineRoute, json, jsonBody, newRouter, readRouteBody } from '../route-contract';
import { reply } from '../typed-reply';
import { studentsBody } from '../schemas';

// PostgreSQL text cannot hold NUL: a number with one is no student's
const studentNumberParam = z.string().min(1).regex(/^[^\u0000]*$/, 'must not contain NUL');

const upsert = {
  method: 'put',
  path: '/',
  summary: 'Upsert up to 10,000 students',
  request: { body: jsonBody(studentsBody, 'StudentsBody') },
  responses: { 200: json('How many were written', upsertedSchema) },
} as const;

const getStudent = {
  method: 'get',
  path: '/{studentNumber}',
  summary: 'A student with eligibility records and roster fields',
  request: { params: z.object({ studentNumber: studentNumberParam }) },
  responses: { 200: json('The student; the roster fields are null for a student only eligibility knows', studentSchema) },
} as const;

export const studentRoutes = newRouter();

defineRoute(studentRoutes, upsert, async (c) => {
  requireRight(c, 'imports.write');
  const districtId = await districtOf(c);
  const body = await readRouteBody(c, upsert);
  const upserted = await upsertStudents(c.var.deps.db, districtId, body);
  return reply(c, upsert, 200, { upserted });
});

defineRoute(studentRoutes, getStudent, async (c) => {
  requireRight(c, 'imports.read');
  const districtId = await districtOf(c);
  const studentNumber = getStudent.request.params.shape.studentNumber.safeParse(c.req.param('studentNumber'));
  const student = studentNumber.success ? await findStudentByNumber(c.var.deps.db, districtId, studentNumber.data) : undefined;
  if (!student) throw notFound('Student');
  const records = await listStudentRecords(c.var.deps.db, student.id);
  return reply(c, getStudent, 200, {
    studentNumber: student.studentNumber,
    stateId: student.stateId ?? null,
    personId: student.personId ?? null,
    firstName: student.firstName,
    lastName: student.lastName,
    birthDate: student.birthDate ?? null,
    schoolCode: student.schoolCode,
    grade: student.grade,
    // the roster's name for birthDate
    dateOfBirth: student.birthDate ?? null,
    username: student.username,
    status: student.status,
    orderId: student.orderId,
    eligibility: records.map((r) => ({
      schoolYear: r.schoolYear,
      startDate: r.startDate,
      endDate: r.endDate,
      // the apply rules write only our codes (isEligibilityCode)
      eligibility: r.eligibility as EligibilityCode,
      certifiedType: r.certifiedType,
      applicationName: r.applicationName,
      referenceNumber: r.referenceNumber,
    })),
  });
});
