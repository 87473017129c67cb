#!/usr/bin/env python3
"""Random display filters from tshark 4.0's grammar, accepted or rejected.

Usage:
  tests/filter-fuzz.py gen SEED COUNT          print COUNT filters, one a line
  tests/filter-fuzz.py oracle < FILTERS        tshark 4.0's verdict on each:
        "filter<TAB>ok" or "filter<TAB>error<TAB>start<TAB>len<TAB>message",
        from libwireshark's own compiler (the one tshark -Y calls), loaded
        with ctypes: thousands a second instead of one tshark start each
  tests/filter-fuzz.py expect SEED COUNT > FILE    gen, then oracle
  tests/filter-fuzz.py check TCPLADDER CAPTURE FILE
        runs `TCPLADDER -r CAPTURE -Y F` on every filter of FILE (as
        expect wrote it) and says where the verdict differs (TAP output);
        needs no tshark
  tests/filter-fuzz.py frames TCPLADDER CAPTURE FILE
        for the filters FILE says tshark accepts, compares the frames
        tcpladder selects with those `tshark -Y` selects (slow: one tshark
        run per filter, two at a time, niced)

The filters are built from the field table (src/filter/fields.c: every
field tcpladder holds, and the protocols and fields of 4.0 it only names),
with every operator and its word form, logic, parentheses, sets, slices,
layers, functions, arithmetic, field references and literals of every kind,
written right or wrong for the field; then about half are mutated (a token
dropped, doubled or swapped, a bracket lost, junk put in) so that the
rejections are exercised as much as the acceptances. Deterministic by seed.
"""
import os
import random
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
FIELDS_C = os.path.join(HERE, "..", "src", "filter", "fields.c")

MACRO_TYPE = {"U": "uint", "H": "uint", "B": "bool", "T": "time",
              "FN": "uint", "A4": "ipv4", "A6": "ipv6", "N": "none",
              "S": "string"}
FT_TYPE = {"STRING": "string", "BYTES": "bytes", "INT": "int",
           "UINT": "uint", "BOOL": "bool", "TIME": "time", "NONE": "none"}


def load_fields():
    """(name, type) of every field of the table, and the names tcpladder
    knows only as 4.0's (type "other"); tcpladder's own fields are not
    tshark's and are left out."""
    text = open(FIELDS_C).read()
    table = text[text.index("table[F_COUNT]"):text.index("elsewhere[]")]
    fields = {}
    for m in re.finditer(r'\b(U|H|B|T|FN|A4|A6|N|S)\("([^"]+)"', table):
        fields[m.group(2)] = MACRO_TYPE[m.group(1)]
    for m in re.finditer(r'\{ "([^"]+)", TL_FT_(\w+)', table):
        fields[m.group(1)] = FT_TYPE[m.group(2)]
    rest = text[text.index("elsewhere[]"):]
    rest = rest[:rest.index("};")]
    for name in re.findall(r'"([^"]+)"', rest):
        fields.setdefault(name, "other")
    return sorted((n, t) for n, t in fields.items()
                  if not n.startswith("tcpladder."))


FIELDS = load_fields()
OPS = ["==", "!=", "===", "!==", "~=", ">", "<", ">=", "<=", "eq", "ne",
       "all_eq", "any_ne", "any_eq", "all_ne", "gt", "lt", "ge", "le"]
AND = ["and", "&&"]
OR = ["or", "||"]
XOR = ["xor", "^^"]
NOT = ["not", "!"]
FUNCS = ["len", "count", "upper", "lower", "string", "max", "min", "abs",
         "size", "vals"]


class Gen:
    def __init__(self, seed):
        self.r = random.Random(seed)

    def pick(self, xs):
        return self.r.choice(xs)

    def chance(self, p):
        return self.r.random() < p

    # ---- literals ----------------------------------------------------
    def integer(self):
        r = self.r
        k = r.randrange(12)
        v = r.choice([0, 1, 2, 3, 7, 8, 10, 53, 80, 255, 256, 443, 1460,
                      65535, 65536, 4294967295, 4294967296,
                      r.randrange(100000)])
        if k == 0:
            return hex(v)
        if k == 1:
            return "0X%X" % v
        if k == 2:
            return "0%o" % v
        if k == 3:
            return "-%d" % v
        if k == 4:
            return "%d.%d" % (v, r.randrange(10))
        if k == 5:
            return "0b" + bin(v)[2:]
        if k == 6:
            return "'%s'" % r.choice(["a", "\\n", "\\x41", "\\101", "ab",
                                      "'", "\\'"])
        if k == 7:
            return str(r.choice([2**63 - 1, 2**63, 2**64, 2**64 - 1]))
        return str(v)

    def ipv4(self):
        r = self.r
        a = ".".join(str(r.choice([0, 1, 10, 127, 192, 168, 255, 256,
                                   r.randrange(256)])) for _ in range(4))
        k = r.randrange(8)
        if k == 0:
            a += "/%d" % r.choice([0, 8, 16, 24, 32, 33, -1])
        elif k == 1:
            a = ".".join(a.split(".")[:r.randrange(1, 4)])
        elif k == 2:
            a = r.choice(["localhost", "example.invalid", "10.0.0.1/",
                          "10.0.0.1/x", "1.2.3.4 /8", "::1", "1.2.3.4.5"])
        return a

    def ipv6(self):
        r = self.r
        a = r.choice(["::1", "::", "fe80::1", "2001:db8::1",
                      "2001:db8:0:0:0:0:0:2", "::ffff:1.2.3.4",
                      "2001:db8::/32", "fe80::/10", "2001:db8::1/129",
                      "2001:db8:::1", "1:2:3:4:5:6:7:8:9", "fe80::g",
                      "2001:DB8::A"])
        return a

    def mac(self):
        r = self.r
        b = ["%02x" % r.randrange(256) for _ in range(r.choice([6, 6, 3, 7]))]
        return r.choice([":", "-", "."]).join(b)

    def bytes_(self):
        r = self.r
        n = r.choice([1, 2, 3, 4, 6])
        b = ["%02x" % r.randrange(256) for _ in range(n)]
        k = r.randrange(7)
        if k == 0:
            return "".join(b)
        if k == 1:
            return "-".join(b)
        if k == 2:
            return ".".join(b)
        if k == 3:
            return ":".join(b) + ":"
        if k == 4:
            return ":".join(x[1] for x in b)
        return ":".join(b)

    def string(self):
        r = self.r
        body = r.choice(["", "abc", "SYN", "GET", "·", "a b", "HTTP/1.1",
                         "\\x41", "\\x4", "\\x", "\\u00e9", "\\U0001F600",
                         "\\n", "\\t", "\\101", "\\400", "\\8", "\\q",
                         "\\\\", "\\\"", "a\\", "[", "(a|b)", "^G.T$",
                         "\\d+", ".*", "e\\\\.com"])
        if r.randrange(6) == 0:
            return 'r"%s"' % body
        if r.randrange(20) == 0:
            return '"%s' % body
        return '"%s"' % body

    def time(self):
        r = self.r
        return r.choice(["0", "1", "0.5", "1.000000001", "-1", ".5", "5.",
                         "1e3", "1s", "0.1234567891", "1000000000",
                         "\"Jan  1, 2020 00:00:00\"",
                         "\"2020-01-01 00:00:00\"",
                         "\"2020-01-01T00:00:00Z\"",
                         "\"Jan 1, 1970 00:00:00.000000000 UTC\"",
                         "\"1970-01-01 00:00:01.5\"", "\"yesterday\""])

    def boolean(self):
        return self.pick(["0", "1", "2", "-1", "True", "False", "TRUE",
                          "FALSE", "true", "false", "yes", "0x1"])

    def value_for(self, t):
        """A literal, right for t most of the time."""
        r = self.r
        if r.randrange(8) == 0:
            t = r.choice(["uint", "ipv4", "ipv6", "string", "bytes", "time",
                          "bool", "mac", "field", "ref"])
        if t in ("uint", "int"):
            return self.integer()
        if t == "bool":
            return self.boolean()
        if t == "time":
            return self.time()
        if t == "ipv4":
            return self.ipv4()
        if t == "ipv6":
            return self.ipv6()
        if t == "bytes":
            return self.bytes_() if r.randrange(3) else self.string()
        if t == "string":
            return self.string() if r.randrange(5) else \
                self.pick(["abc", "SYN", "GET"])
        if t == "mac":
            return self.mac()
        if t == "field":
            return self.pick(FIELDS)[0]
        if t == "ref":
            f = self.pick(FIELDS)[0]
            return self.pick(["${%s}" % f, "$%s" % f, "${%s" % f])
        return self.integer()

    # ---- expressions -------------------------------------------------
    def field(self):
        n, t = self.pick(FIELDS)
        return n, t

    def slice_(self):
        r = self.r
        i, j = r.randrange(-3, 8), r.randrange(0, 8)
        return "[%s]" % r.choice(["%d" % i, "%d:%d" % (i, j),
                                  "%d-%d" % (abs(i), j), ":%d" % j,
                                  "%d:" % i, "", "a", "1:2:3", "-1",
                                  "0,2", "1-0"])

    def operand(self, depth=0):
        """A value expression: field, slice, layer, function, arithmetic."""
        r = self.r
        n, t = self.field()
        k = r.randrange(12)
        if k == 0:
            return n + self.slice_(), "bytes"
        if k == 1:
            return "%s#%s" % (n, r.choice(["1", "2", "0", "-1", "x"])), t
        if k == 2 and depth < 2:
            fn = self.pick(FUNCS)
            args = [self.operand(depth + 1)[0]
                    for _ in range(r.choice([1, 1, 1, 2, 0]))]
            return "%s(%s)" % (fn, r.choice([", ", ",", " "]).join(args)), \
                "uint" if fn in ("len", "count") else t
        if k == 3 and depth < 2:
            a, ta = self.operand(depth + 1)
            b = self.operand(depth + 1)[0] if r.randrange(2) else \
                self.value_for(ta)
            e = "%s %s %s" % (a, self.pick(["+", "-", "*", "/", "%", "&"]),
                              b)
            return ("{%s}" % e if r.randrange(3) else e), ta
        if k == 4:
            return "-" + n, t
        if k == 5:
            return self.pick(["${%s}" % n, "$%s" % n]), t
        if k == 6:
            return "@" + n, "bytes"
        return n, t

    def test(self, depth):
        r = self.r
        k = r.randrange(20)
        n, t = self.field()
        if k < 3:
            return n                                   # present
        if k == 3:
            return self.pick(["frame", "ip", "ipv6", "tcp", "eth", "http",
                              "udp", "data", "tcp.payload", "TCP", "Tcp",
                              "_ws.expert", "_ws.malformed"])
        if k < 9:
            return "%s %s %s" % (n, self.pick(OPS), self.value_for(t))
        if k == 9:
            els = []
            for _ in range(r.randrange(0, 5)):
                v = self.value_for(t)
                if r.randrange(4) == 0:
                    v = "%s..%s" % (v, self.value_for(t))
                els.append(v)
            sep = self.pick([", ", " ", ",", " , "])
            neg = "not " if r.randrange(4) == 0 else ""
            return "%s %sin {%s}" % (n, neg, sep.join(els))
        if k == 10:
            return "%s contains %s" % (n, self.value_for(t if t in (
                "string", "bytes") else "string"))
        if k == 11:
            return "%s %s %s" % (n, self.pick(["matches", "~"]),
                                 self.string())
        if k == 12:
            s = "%s %s %s" % (n, self.pick(["&", "bitwise_and", "&&"]),
                              self.integer())
            if r.randrange(2):
                s += " %s %s" % (self.pick(OPS), self.integer())
            return s
        if k == 13:
            a, ta = self.operand()
            b, _ = self.operand()
            return "%s %s %s" % (a, self.pick(OPS), b)
        if k < 17:
            a, ta = self.operand()
            return "%s %s %s" % (a, self.pick(OPS), self.value_for(ta))
        if k == 17:
            m, _ = self.field()
            return "%s %s %s" % (n, self.pick(OPS), m)
        if k == 18:
            return "%s %s %s" % (self.value_for(t), self.pick(OPS), n)
        a, ta = self.operand()
        return a

    def expr(self, depth=0):
        r = self.r
        if r.random() > 0.45 / (depth + 1):
            return self.test(depth)
        k = r.randrange(8)
        if k < 4:
            return "%s %s %s" % (self.expr(depth + 1), self.pick(AND + OR),
                                 self.expr(depth + 1))
        if k == 4:
            return "%s %s %s" % (self.expr(depth + 1), self.pick(XOR),
                                 self.expr(depth + 1))
        if k == 5:
            return "%s%s" % (self.pick(["not ", "!", "! ", "not"]),
                             self.expr(depth + 1))
        return "(%s)" % self.expr(depth + 1)

    # ---- mutations -----------------------------------------------------
    TOKEN = re.compile(r'r?"(?:[^"\\]|\\.)*"?|[A-Za-z0-9_.:/$@{}-]+|'
                       r'[=!<>~&|^]+|\S')

    def mutate(self, s):
        r = self.r
        toks = self.TOKEN.findall(s)
        k = r.randrange(10)
        if not toks:
            return s
        i = r.randrange(len(toks))
        if k == 0:
            del toks[i]
        elif k == 1:
            toks.insert(i, toks[i])
        elif k == 2 and len(toks) > 1:
            j = r.randrange(len(toks))
            toks[i], toks[j] = toks[j], toks[i]
        elif k == 3:
            toks.insert(i, self.pick(["(", ")", "{", "}", "[", "]"]))
        elif k == 4:
            toks.insert(i, self.pick(["=", "!", "~", "^", "`", "\\", ";",
                                      "?", "'", "#", "*", "%", "/", "+",
                                      "-", ",", "..", "$", "@", ":", "\t",
                                      "é", "\"", "=<", "=>", "<>"]))
        elif k == 5:
            toks = toks[:i]
        elif k == 6:
            toks[i] = toks[i].upper()
        elif k == 7:
            return self.pick(["", " ", "()", "!", "not", "\"\"", "1",
                              "tcp.", ".tcp", "tcp..port", "tcp.port.",
                              "ip.src ==", "== 1", "tcp.port == 80 ,"])
        elif k == 8:
            t = toks[i]
            if len(t) > 1:
                c = r.randrange(len(t))
                toks[i] = t[:c] + t[c + 1:]
        else:
            return s.replace(" ", "", 1) if " " in s else s + " "
        return " ".join(toks)

    def one(self):
        s = self.expr()
        if self.r.randrange(5) < 2:
            s = self.mutate(s)
        return s.replace("\n", " ")


def generate(seed, count):
    g = Gen(seed)
    seen, out = set(), []
    while len(out) < count:
        s = g.one()
        if s not in seen and "\t" not in s:
            seen.add(s)
            out.append(s)
    return out


# ---- the oracle: libwireshark's compiler --------------------------------
def oracle_lines(filters):
    import ctypes
    os.environ.setdefault("WIRESHARK_LOG_LEVEL", "critical")
    ws = ctypes.CDLL("libwsutil.so.14", mode=ctypes.RTLD_GLOBAL)
    wt = ctypes.CDLL("libwiretap.so.13", mode=ctypes.RTLD_GLOBAL)
    ep = ctypes.CDLL("libwireshark.so.16", mode=ctypes.RTLD_GLOBAL)
    # The log goes to stderr at 4.0's default level; keep it quiet.
    devnull = os.open(os.devnull, os.O_WRONLY)
    saved = os.dup(2)
    os.dup2(devnull, 2)
    try:
        ws.init_process_policies()
        ws.configuration_init(b"/usr/bin/tshark", None)
        wt.wtap_init(1)
        if not ep.epan_init(None, None, 1):
            raise SystemExit("epan_init failed")
        ep.epan_load_settings()

        class Loc(ctypes.Structure):
            _fields_ = [("start", ctypes.c_long), ("len", ctypes.c_size_t)]
        comp = ep.dfilter_compile_real
        comp.restype = ctypes.c_int
        comp.argtypes = [ctypes.c_char_p, ctypes.POINTER(ctypes.c_void_p),
                         ctypes.POINTER(ctypes.c_char_p), ctypes.c_void_p,
                         ctypes.c_char_p, ctypes.c_int, ctypes.c_int]
        out = []
        for f in filters:
            df, err, loc = ctypes.c_void_p(), ctypes.c_char_p(), Loc(-1, 0)
            ok = comp(f.encode(), ctypes.byref(df), ctypes.byref(err),
                      ctypes.byref(loc), b"filter-fuzz", 0, 1)
            if df.value:
                ep.dfilter_free(df)
            if ok:
                out.append("%s\tok" % f)
            else:
                msg = (err.value or b"").decode(errors="replace")
                out.append("%s\terror\t%d\t%d\t%s" % (
                    f, loc.start, loc.len, msg.replace("\t", " ").replace("\n", " ")))
    finally:
        os.dup2(saved, 2)
    return out


def read_expected(path):
    rows = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            parts = line.split("\t")
            rows.append((parts[0], parts[1], parts[2:]))
    return rows


def run_ours(tcpladder, cap, f):
    p = subprocess.run([tcpladder, "-r", cap, "-Y", f, "-T", "fields",
                        "-e", "frame.number"], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE)
    return p.returncode, p.stdout.decode(), p.stderr.decode(
        errors="replace")


def check(tcpladder, cap, path):
    rows = read_expected(path)
    print("1..%d" % len(rows))
    bad = 0
    for n, (f, want, extra) in enumerate(rows, 1):
        rc, out, err = run_ours(tcpladder, cap, f)
        got = "ok" if rc == 0 else "error" if rc == 2 else "exit %d" % rc
        lines = err.count("\n")
        if got == "error" and lines != 1:
            got = "error (%d lines)" % lines
        if got == want:
            print("ok %d - %s" % (n, f))
            continue
        bad += 1
        print("not ok %d - %s" % (n, f))
        print("#   tshark:    %s %s" % (want, " ".join(extra)))
        print("#   tcpladder: %s %s" % (got, err.strip()[:200]))
    print("# %d of %d verdicts agree with tshark 4.0" % (len(rows) - bad,
                                                         len(rows)))
    return 1 if bad else 0


def frames(tcpladder, cap, path):
    import concurrent.futures
    rows = [r for r in read_expected(path) if r[1] == "ok" and r[0].strip()]
    _, allrows, _ = run_ours(tcpladder, cap, "frame")
    shown = set(allrows.split())

    def tshark(f):
        p = subprocess.run(["nice", "-n", "10", "tshark", "-r", cap, "-Y", f,
                            "-T", "fields", "-e", "frame.number"],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        return p.returncode, p.stdout.decode()
    bad = 0
    with concurrent.futures.ThreadPoolExecutor(2) as ex:
        for (f, _, _), (trc, tout) in zip(rows, ex.map(tshark,
                                                       [r[0] for r in rows])):
            want = [x for x in tout.split() if x in shown] if trc == 0 \
                else ["error"]
            rc, out, err = run_ours(tcpladder, cap, f)
            got = out.split() if rc == 0 else ["error"]
            if got != want:
                bad += 1
                print("differs: %s\n  tshark:    %s\n  tcpladder: %s %s" % (
                    f, " ".join(want)[:200], " ".join(got)[:200],
                    err.strip()[:200]))
    print("# %d of %d accepted filters select the same frames" % (
        len(rows) - bad, len(rows)))
    return 1 if bad else 0


def main(argv):
    if len(argv) >= 4 and argv[1] == "gen":
        print("\n".join(generate(int(argv[2]), int(argv[3]))))
    elif len(argv) >= 2 and argv[1] == "oracle":
        filters = [l.rstrip("\n") for l in sys.stdin]
        print("\n".join(oracle_lines(filters)))
    elif len(argv) >= 4 and argv[1] == "expect":
        print("# tests/filter-fuzz.py expect %s %s: libwireshark 4.0's "
              "verdicts" % (argv[2], argv[3]))
        print("\n".join(oracle_lines(generate(int(argv[2]), int(argv[3])))))
    elif len(argv) >= 5 and argv[1] == "check":
        return check(argv[2], argv[3], argv[4])
    elif len(argv) >= 5 and argv[1] == "frames":
        return frames(argv[2], argv[3], argv[4])
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
