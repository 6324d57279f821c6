// glibc's printf("%g") (precision 6) for the `Value: %g` of usbhid-ups' object dump. glibc rounds
// the exact binary value half-to-even (97656250 → 9.76562e+07), which Number#toPrecision does
// not (it rounds ties up), so ties are decided here on the exact decimal expansion.

const PRECISION = 6;

/** The exact value's significant digits and decimal exponent, rounded to `PRECISION` digits half-to-even. */
function roundedDigits(abs: number): { digits: string; exponent: number } {
  // toPrecision(100) is exact up to 100 significant digits; a tie needs the exact expansion to
  // stop at digit 7, which is always within those 100 digits.
  const exact = abs.toPrecision(100);
  const [mantissa = "", exp = "0"] = exact.includes("e") ? exact.split("e") : [exact, ""];
  let digitsAll: string;
  let exponent: number;
  if (exact.includes("e")) {
    digitsAll = mantissa.replace(".", "");
    exponent = Number(exp);
  } else {
    const [intPart = "", frac = ""] = mantissa.split(".");
    const joined = intPart + frac;
    const lead = joined.search(/[1-9]/);
    digitsAll = joined.slice(lead);
    exponent = intPart.replace(/^0+/, "").length > 0 ? intPart.replace(/^0+/, "").length - 1 : -(lead - intPart.length) - 1;
  }
  const kept = digitsAll.slice(0, PRECISION);
  const rest = digitsAll.slice(PRECISION);
  let roundUp = false;
  if (rest.length > 0) {
    const first = rest.charCodeAt(0) - 48;
    const tail = /[1-9]/.test(rest.slice(1));
    if (first > 5 || (first === 5 && tail)) roundUp = true;
    else if (first === 5 && !tail) roundUp = ((kept.charCodeAt(kept.length - 1) - 48) & 1) === 1;
  }
  if (!roundUp) return { digits: kept.padEnd(PRECISION, "0"), exponent };
  const bumped = (BigInt(kept.padEnd(PRECISION, "0")) + 1n).toString();
  return bumped.length > PRECISION ? { digits: bumped.slice(0, PRECISION), exponent: exponent + 1 } : { digits: bumped, exponent };
}

/** printf("%g", value) as glibc prints it. */
export function formatPrintfG(value: number): string {
  if (Number.isNaN(value)) return "nan";
  if (!Number.isFinite(value)) return value > 0 ? "inf" : "-inf";
  if (value === 0) return Object.is(value, -0) ? "-0" : "0";
  const sign = value < 0 ? "-" : "";
  const { digits, exponent } = roundedDigits(Math.abs(value));
  const trim = (s: string): string => (s.includes(".") ? s.replace(/0+$/, "").replace(/\.$/, "") : s);
  if (exponent < -4 || exponent >= PRECISION) {
    const m = trim(`${digits[0] ?? "0"}.${digits.slice(1)}`);
    return `${sign}${m}e${exponent < 0 ? "-" : "+"}${String(Math.abs(exponent)).padStart(2, "0")}`;
  }
  let text: string;
  if (exponent >= 0) text = `${digits.slice(0, exponent + 1)}.${digits.slice(exponent + 1)}`;
  else text = `0.${"0".repeat(-exponent - 1)}${digits}`;
  return sign + trim(text);
}
