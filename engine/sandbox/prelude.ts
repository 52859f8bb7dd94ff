// prelude.ts: the code every sandbox context runs first. It makes the guest deterministic and
// host-independent (Date reads the virtual clock, Math.random the machine's seeded source), and
// defines the marshalling through which values cross the boundary as JSON text: functions and
// generator objects stay in the guest and cross as {"$ref": n}; host references cross back the
// same way, and NaN/Infinity/undefined/bigint are tagged so that nothing is silently changed.
export const PRELUDE = String.raw`
"use strict";
(function (g) {
  const host = g.__klp_host;
  delete g.__klp_host;
  const refs = [];
  const ids = new Map();
  function refOf(v) {
    let id = ids.get(v);
    if (id === undefined) { id = refs.length; refs.push(v); ids.set(v, id); }
    return { $ref: id };
  }
  function isGenerator(v) {
    return Object.prototype.toString.call(v) === "[object Generator]";
  }
  function enc(v, seen) {
    switch (typeof v) {
      case "undefined": return { $undef: 1 };
      case "number": return Number.isFinite(v) ? v : { $num: String(v) };
      case "bigint": return { $big: v.toString() };
      case "function": return refOf(v);
      case "string": case "boolean": return v;
      case "symbol": throw new TypeError("a symbol cannot leave the sandbox");
    }
    if (v === null) return null;
    if (isGenerator(v)) return refOf(v);
    if (seen.has(v)) throw new TypeError("a cyclic value cannot leave the sandbox");
    seen.add(v);
    let out;
    if (Array.isArray(v)) out = v.map((x) => enc(x, seen));
    else {
      out = {};
      for (const k of Object.keys(v)) out[k] = enc(v[k], seen);
      if ("$ref" in v || "$undef" in v) out = { $obj: out };
    }
    seen.delete(v);
    return out;
  }
  function dec(v) {
    if (v === null || typeof v !== "object") return v;
    if (Array.isArray(v)) return v.map(dec);
    if ("$ref" in v) return refs[v.$ref];
    if ("$undef" in v) return undefined;
    if ("$num" in v) return Number(v.$num);
    if ("$big" in v) return BigInt(v.$big);
    const src = "$obj" in v ? v.$obj : v;
    const out = {};
    for (const k of Object.keys(src)) out[k] = dec(src[k]);
    return out;
  }
  const marshal = (v) => JSON.stringify(enc(v, new Set()));
  const unmarshal = (s) => dec(JSON.parse(s));
  g.__klp_call = function (id, argsJson) {
    const fn = refs[id];
    if (typeof fn !== "function") throw new TypeError("not a function reference: " + id);
    return marshal(fn.apply(undefined, unmarshal(argsJson)));
  };
  g.__klp_method = function (id, name, argsJson) {
    const obj = refs[id];
    return marshal(obj[name].apply(obj, unmarshal(argsJson)));
  };
  g.__klp_export = function (name) { return marshal(g.__klp_exports[name]); };
  g.__klp_exportNames = function () { return JSON.stringify(Object.keys(g.__klp_exports)); };
  // The kernel knows a struct kprobe by its address, but a value crosses as a copy: the host calls
  // that take one get the object's identity after their arguments.
  const BY_ADDRESS = new Set(["linux.register_kprobe", "linux.unregister_kprobe"]);
  const structIds = new WeakMap();
  let nextStruct = 1;
  function structId(v) {
    if (v === null || typeof v !== "object") return 0;
    let id = structIds.get(v);
    if (id === undefined) { id = nextStruct++; structIds.set(v, id); }
    return id;
  }
  g.__klp_makeModule = function (name, fnNamesJson, constantsJson, guestFns) {
    const m = Object.assign(unmarshal(constantsJson), guestFns);
    for (const fn of JSON.parse(fnNamesJson)) {
      const byAddress = BY_ADDRESS.has(name + "." + fn);
      m[fn] = function () {
        const args = Array.prototype.slice.call(arguments);
        if (byAddress) args.push(structId(args[0]));
        return unmarshal(host(name + "." + fn, marshal(args)));
      };
    }
    return Object.freeze(m);
  };
  // Determinism: no host clock, no host randomness.
  const now = () => unmarshal(host("$.now", "[]"));
  const random = () => unmarshal(host("$.random", "[]"));
  const RealDate = g.Date;
  function VirtualDate(...a) {
    if (!new.target) return new RealDate(now()).toString();
    return a.length ? new RealDate(...a) : new RealDate(now());
  }
  VirtualDate.now = now;
  VirtualDate.UTC = RealDate.UTC;
  VirtualDate.parse = RealDate.parse;
  VirtualDate.prototype = RealDate.prototype;
  g.Date = VirtualDate;
  Math.random = random;
})(globalThis);
`;
