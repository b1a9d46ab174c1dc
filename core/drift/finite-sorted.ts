/** Finite values only, as a Float64Array: nulls and NaN are missing data, not observations. */
export function finiteValues(values: ArrayLike<number | null | undefined>): Float64Array {
  const out = new Float64Array(values.length);
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v === 'number' && Number.isFinite(v)) out[n++] = v;
  }
  return n === out.length ? out : out.slice(0, n);
}

/** Finite values sorted ascending (a typed-array sort is numeric and much faster than Array#sort). */
export function finiteSorted(values: ArrayLike<number | null | undefined>): Float64Array {
  return finiteValues(values).sort();
}
