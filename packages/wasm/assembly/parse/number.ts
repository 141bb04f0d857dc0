// JSON numbers to exactly the double JSON.parse gives.
//
// Fast path (Clinger): at most 19 significant digits whose value is below 2^53, and a decimal
// exponent within ±22 — one exact multiplication or division by an exactly representable power
// of ten is correctly rounded. Everything else goes to the host's Number() (rare).
// AssemblyScript's own parseFloat is not used: it returns wrong doubles for some exponents.

import { INT_LIMIT, isIntValue } from '../numbers';

@external("env", "parseNumber")
declare function hostParseNumber(ptr: usize, length: u32): f64;

const POWERS_OF_TEN = memory.data<f64>([
  1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
  1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
]);

/** Set by scanNumber: the value, and whether it is an int an int column holds (|n| ≤ 2^53, not -0: numbers.ts). */
export let numberValue: f64 = 0;
export let numberIsInt: bool = false;
export let numberIntValue: i64 = 0;

@inline function isDigit(c: u32): bool {
  return c - 0x30 < 10;
}

/**
 * Scans the number starting at `p` (a '-' or a digit) up to `end`. Returns the position after
 * it, or 0 when the bytes are not a JSON number (the caller reports `p` as the error offset
 * through `numberErrorAt`).
 */
export let numberErrorAt: usize = 0;

export function scanNumber(p: usize, end: usize): usize {
  const start = p;
  let negative = false;
  if (load<u8>(p) == 0x2D) {
    negative = true;
    p++;
  }
  if (p >= end || !isDigit(load<u8>(p))) {
    numberErrorAt = p;
    return 0;
  }
  let mantissa: u64 = 0;
  let digits: u32 = 0;
  let exponent: i32 = 0;
  let truncated = false;
  if (load<u8>(p) == 0x30) {
    p++;
    if (p < end && isDigit(load<u8>(p))) {
      numberErrorAt = p; // leading zeros are not JSON
      return 0;
    }
  } else {
    while (p < end) {
      const c = <u32>load<u8>(p);
      if (!isDigit(c)) break;
      if (digits < 19) {
        mantissa = mantissa * 10 + <u64>(c - 0x30);
        digits++;
      } else {
        exponent++;
        if (c != 0x30) truncated = true;
      }
      p++;
    }
  }
  let integral = true;
  if (p < end && load<u8>(p) == 0x2E) {
    integral = false;
    p++;
    if (p >= end || !isDigit(load<u8>(p))) {
      numberErrorAt = p;
      return 0;
    }
    while (p < end) {
      const c = <u32>load<u8>(p);
      if (!isDigit(c)) break;
      if (digits < 19) {
        if (mantissa != 0 || c != 0x30) digits++;
        mantissa = mantissa * 10 + <u64>(c - 0x30);
        exponent--;
      } else if (c != 0x30) truncated = true;
      p++;
    }
  }
  if (p < end && (load<u8>(p) | 0x20) == 0x65) {
    integral = false;
    p++;
    let exponentNegative = false;
    if (p < end && (load<u8>(p) == 0x2B || load<u8>(p) == 0x2D)) {
      exponentNegative = load<u8>(p) == 0x2D;
      p++;
    }
    if (p >= end || !isDigit(load<u8>(p))) {
      numberErrorAt = p;
      return 0;
    }
    let written: i32 = 0;
    while (p < end && isDigit(load<u8>(p))) {
      if (written < 100000) written = written * 10 + <i32>(load<u8>(p) - 0x30);
      p++;
    }
    exponent += exponentNegative ? -written : written;
  }
  // Digits alone (no fraction, no exponent) up to 2^53: the int itself.
  if (integral && !truncated && exponent == 0 && mantissa <= <u64>INT_LIMIT && !(negative && mantissa == 0)) {
    numberIsInt = true;
    numberIntValue = negative ? -<i64>mantissa : <i64>mantissa;
    numberValue = <f64>numberIntValue;
    return p;
  }
  let value: f64;
  if (mantissa == 0 && !truncated) {
    value = 0;
  } else if (!truncated && mantissa <= 9007199254740992 && exponent >= -22 && exponent <= 22) {
    value = <f64>mantissa;
    value = exponent >= 0 ? value * load<f64>(POWERS_OF_TEN + (<usize>exponent << 3)) : value / load<f64>(POWERS_OF_TEN + (<usize>(-exponent) << 3));
  } else {
    value = hostParseNumber(start + (negative ? 1 : 0), <u32>(p - start) - (negative ? 1 : 0));
  }
  if (negative) value = -value;
  numberValue = value;
  // Integral doubles up to 2^53 (1.0, 2e3, 1e15) are ints, exactly as JSON.parse's value is; -0 is not.
  numberIsInt = isIntValue(value);
  numberIntValue = numberIsInt ? <i64>value : 0;
  return p;
}
