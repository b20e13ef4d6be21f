/** A `Name: value` line of a header block (SIP, CPIM or MIME), kept in order as written. */
export interface Field {
  name: string;
  value: string;
}
