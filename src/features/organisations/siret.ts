/** SIREN of La Poste: its establishments' SIRET use a digit-sum rule instead of the Luhn key. */
const LA_POSTE_SIREN = '356000000';
/** La Poste's head office, whose SIRET follows the ordinary Luhn rule. */
const LA_POSTE_HEAD_OFFICE = '35600000000048';

/** Removes the spaces people type in SIRET numbers (`356 000 000 00048`). */
export function normalizeSiret(input: string): string {
  return input.replace(/\s+/g, '');
}

/** Luhn check on a string of digits (the SIREN/SIRET key). */
function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

function digitSum(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) sum += digits.charCodeAt(i) - 48;
  return sum;
}

/**
 * True when the input is a well-formed SIRET: 14 digits (spaces ignored) with a valid Luhn key —
 * except La Poste's establishments (SIREN 356000000), whose 14 digits must add up to a multiple of 5.
 * @example isValidSiret('732 829 320 00074') // true
 * @example isValidSiret('35600000049837') // true (La Poste)
 */
export function isValidSiret(input: string): boolean {
  const siret = normalizeSiret(input);
  if (!/^\d{14}$/.test(siret)) return false;
  if (siret.startsWith(LA_POSTE_SIREN) && siret !== LA_POSTE_HEAD_OFFICE) return digitSum(siret) % 5 === 0;
  return luhnValid(siret);
}

/**
 * `digits` followed by the Luhn key that makes the whole number valid (to build SIREN/SIRET numbers
 * for demonstration data, fixtures and benchmarks).
 * @example withLuhnKey('73282932') // '732829320'
 */
export function withLuhnKey(digits: string): string {
  for (let key = 0; key <= 9; key++) if (luhnValid(`${digits}${key}`)) return `${digits}${key}`;
  throw new Error(`no Luhn key for ${digits}`);
}
