/** One line of smbclient's `ls` output. */
export interface SmbListEntry {
  name: string;
  /** smbclient's attribute letters: `D` directory, `A` archive, `H` hidden, `V` volume, … */
  attributes: string;
  size: number;
  modifiedAt: Date;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** asctime() form, as smbclient prints it: `Thu Mar  5 04:05:06 2026`, preceded by two spaces. */
const DATE_AT_END = /  [A-Z][a-z]{2} ([A-Z][a-z]{2}) ([ \d]\d) (\d\d):(\d\d):(\d\d) (\d{4,})$/;
const NAME_WIDTH = 30;
const ATTRIBUTES_WIDTH = 7;
const SIZE_MIN_WIDTH = 8;

/**
 * Reads the output of `ls` run with TZ=UTC (smbclient prints local time, so UTC makes it exact
 * to the second). Each entry is `printf("  %-30s%7.7s %8.0f  %s", name, attributes, size,
 * asctime)`: the name is free text (spaces, `N 123`-like tails), so the fixed-width fields
 * are taken off the right end. A name with line breaks spans several lines; its first line
 * starts with two spaces and later lines are joined until one ends in the fixed fields.
 * A name shorter than 30 bytes that ends in spaces cannot be told from its padding and is
 * read without them; Windows cannot create such names and Samba shows them mangled.
 */
export function parseSmbListing(output: string): SmbListEntry[] {
  const entries: SmbListEntry[] = [];
  let pending: string[] = [];
  for (const line of output.split('\n')) {
    const fields = pending.length > 0 || line.startsWith('  ') ? splitFixedFields(line) : undefined;
    if (fields) {
      const nameField = [...pending, fields.nameField].join('\n');
      pending = [];
      if (nameField.startsWith('  ')) entries.push({ ...fields, name: nameOf(nameField.slice(2)) });
    } else if (pending.length > 0 || line.startsWith('  ')) {
      pending.push(line);
    }
  }
  return entries;
}

function nameOf(paddedName: string): string {
  return Buffer.byteLength(paddedName) > NAME_WIDTH ? paddedName : paddedName.replace(/ +$/, '');
}

function splitFixedFields(line: string): (Omit<SmbListEntry, 'name'> & { nameField: string }) | undefined {
  const date = DATE_AT_END.exec(line);
  if (!date) return undefined;
  const [, month = '', day = '', hours = '', minutes = '', seconds = '', year = ''] = date;
  const monthIndex = MONTHS.indexOf(month);
  if (monthIndex < 0) return undefined;
  const modifiedAt = new Date(Date.UTC(Number(year), monthIndex, Number(day), Number(hours), Number(minutes), Number(seconds)));

  let rest = line.slice(0, date.index);
  const digits = /\d+$/.exec(rest)?.[0];
  if (digits === undefined) return undefined;
  const sizeField = rest.slice(-Math.max(SIZE_MIN_WIDTH, digits.length));
  if (!/^ *\d+$/.test(sizeField)) return undefined;
  rest = rest.slice(0, -sizeField.length);

  if (!rest.endsWith(' ')) return undefined;
  rest = rest.slice(0, -1);
  const attributesField = rest.slice(-ATTRIBUTES_WIDTH);
  if (attributesField.length !== ATTRIBUTES_WIDTH || !/^ *[A-Za-z]*$/.test(attributesField)) return undefined;

  return {
    nameField: rest.slice(0, -ATTRIBUTES_WIDTH),
    attributes: attributesField.trim(),
    size: Number(digits),
    modifiedAt,
  };
}

/** A regular file: not a directory, a volume label, or the `.` and `..` entries. */
export function isRegularFile(entry: SmbListEntry): boolean {
  return !/[DV]/.test(entry.attributes) && entry.name !== '.' && entry.name !== '..';
}
