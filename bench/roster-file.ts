import { ROSTER_HEADER } from '../kinds/students/header';

export const ROSTER_SCHOOLS = ['EL1', 'EL2', 'MS1', 'HS1', 'HS2'];
const GRADES = ['K', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12'];

/**
 * A roster file's lines, header first, one at a time: new students, most active (A), one in 25 created
 * deactivated (X), and ~1% bad rows (a grade, a birth date, a school that is not known).
 */
export function* rosterLines(rows: number): Generator<string> {
  yield ROSTER_HEADER.join(',');
  for (let i = 0; i < rows; i++) {
    let school = ROSTER_SCHOOLS[i % ROSTER_SCHOOLS.length]!;
    let grade = GRADES[i % GRADES.length]!;
    let born = `${String(1 + (i % 12)).padStart(2, '0')}/${String(1 + (i % 28)).padStart(2, '0')}/${2008 + (i % 12)}`;
    if (i % 100 === 99) {
      const which = Math.floor(i / 100) % 3;
      if (which === 0) grade = '14';
      else if (which === 1) born = '13/45/2010';
      else school = 'NOPE';
    }
    yield [school, `R${String(i).padStart(7, '0')}`, `Last${i}`, `First${i}`, grade, born, `user${i}`, i % 25 === 0 ? 'X' : 'A'].join(',');
  }
}
