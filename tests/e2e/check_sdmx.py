#!/usr/bin/env python3
"""Checks SDMX-CSV files against the structure message nrmhub ships.

    check_sdmx.py STRUCTURE.xml            the structure alone
    check_sdmx.py STRUCTURE.xml FILE...    and each SDMX-CSV file

The structure: well-formed, every codelist and concept a data structure or
dataflow refers to is in the message, every dataflow names a data structure
in it.  (Debian ships no SDMX 2.1 XSDs, so this checks the references the
schemas cannot, and not the schemas' own rules.)

Each file: SDMX-CSV 1.0 (DATAFLOW) or 2.0 (STRUCTURE, STRUCTURE_ID, ACTION);
its header is exactly its dataflow's dimensions in order, then OBS_VALUE and
the attributes; every code of every row is in the dimension's codelist (an
uncoded dimension matches its pattern); OBS_VALUE is empty exactly when
OBS_STATUS says a value is missing; and no two rows share a key.
"""
import csv
import re
import sys
import xml.etree.ElementTree as ET

NS = {
    "mes": "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message",
    "str": "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/structure",
    "com": "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common",
}
problems = []


def problem(msg):
    problems.append(msg)


def urn(ref):
    return "%s:%s(%s)" % (ref.get("agencyID"), ref.get("id"), ref.get("version"))


def load_structure(path):
    root = ET.parse(path).getroot()
    codelists = {}
    for c in root.iterfind(".//str:Codelist", NS):
        codes = [code.get("id") for code in c.iterfind("str:Code", NS)]
        if len(codes) != len(set(codes)):
            problem("%s: codelist %s repeats a code" % (path, c.get("id")))
        codelists["%s:%s(%s)" % (c.get("agencyID"), c.get("id"), c.get("version"))] = set(codes)
    concepts = {c.get("id") for c in root.iterfind(".//str:ConceptScheme/str:Concept", NS)}
    dsds = {}
    for d in root.iterfind(".//str:DataStructure", NS):
        comps = []
        for kind in ("str:DimensionList/str:Dimension", "str:DimensionList/str:TimeDimension",
                     "str:MeasureList/str:PrimaryMeasure", "str:AttributeList/str:Attribute"):
            for comp in d.iterfind("str:DataStructureComponents/" + kind, NS):
                concept = comp.find("str:ConceptIdentity/Ref", NS)
                if concept is None or concept.get("id") not in concepts:
                    problem("%s: %s names no concept of the scheme" % (path, comp.get("id")))
                enum = comp.find("str:LocalRepresentation/str:Enumeration/Ref", NS)
                text = comp.find("str:LocalRepresentation/str:TextFormat", NS)
                if enum is not None and urn(enum) not in codelists:
                    problem("%s: %s's codelist %s is not in the message"
                            % (path, comp.get("id"), urn(enum)))
                allowed = codelists.get(urn(enum)) if enum is not None else None
                pattern = text.get("pattern") if text is not None else None
                comps.append((comp.get("id"), kind.split(":")[-1], allowed, pattern))
        dsds["%s:%s(%s)" % (d.get("agencyID"), d.get("id"), d.get("version"))] = comps
    flows = {}
    for f in root.iterfind(".//str:Dataflow", NS):
        ref = f.find("str:Structure/Ref", NS)
        if ref is None or urn(ref) not in dsds:
            problem("%s: dataflow %s names no data structure of the message" % (path, f.get("id")))
            continue
        flows["%s:%s(%s)" % (f.get("agencyID"), f.get("id"), f.get("version"))] = dsds[urn(ref)]
    if not flows:
        problem("%s: no dataflow" % path)
    return flows


def check_file(path, flows):
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    if not rows:
        problem("%s: empty" % path)
        return 0
    head = rows[0]
    prefix = 3 if head[:3] == ["STRUCTURE", "STRUCTURE_ID", "ACTION"] else 1
    if prefix == 1 and head[:1] != ["DATAFLOW"]:
        problem("%s: header %r is neither SDMX-CSV 1.0 nor 2.0" % (path, head[:3]))
        return 0
    seen = {}
    for n, row in enumerate(rows[1:], start=2):
        where = "%s:%d" % (path, n)
        flow = row[1] if prefix == 3 else row[0]
        if prefix == 3 and (row[0] != "dataflow" or row[2] not in ("I", "A", "R", "D")):
            problem("%s: STRUCTURE or ACTION %r" % (where, row[:3]))
        comps = flows.get(flow)
        if comps is None:
            problem("%s: dataflow %r is not in the structure" % (where, flow))
            continue
        dims = [c for c in comps if c[1] in ("Dimension", "TimeDimension")]
        want = [c[0] for c in dims] + ["OBS_VALUE"] + \
            [c[0] for c in comps if c[1] == "Attribute"]
        if head[prefix:] != want:
            problem("%s: header %r, the structure gives %r" % (path, head[prefix:], want))
            return 0
        values = dict(zip(want, row[prefix:]))
        for cid, _, allowed, pattern in comps:
            v = values.get(cid, "")
            if cid == "OBS_VALUE":
                continue
            if allowed is not None and v not in allowed:
                problem("%s: %s %r is not in its codelist" % (where, cid, v))
            elif allowed is None and pattern and not re.fullmatch(pattern, v):
                problem("%s: %s %r does not match %s" % (where, cid, v, pattern))
        if not re.fullmatch(r"\d{4}-Q[1-4]", values["TIME_PERIOD"]):
            problem("%s: TIME_PERIOD %r" % (where, values["TIME_PERIOD"]))
        missing = values["OBS_STATUS"] in ("Q", "O", "M")
        if missing != (values["OBS_VALUE"] == ""):
            problem("%s: OBS_VALUE %r with OBS_STATUS %s" % (where, values["OBS_VALUE"],
                                                             values["OBS_STATUS"]))
        key = (flow,) + tuple(values[c[0]] for c in dims)
        if key in seen:
            problem("%s: key %s repeats line %d" % (where, ".".join(key[1:]), seen[key]))
        seen[key] = n
    return len(rows) - 1


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    flows = load_structure(sys.argv[1])
    for path in sys.argv[2:]:
        if check_file(path, flows) == 0:
            problem("%s: no observation" % path)
    for p in problems[:30]:
        print(p, file=sys.stderr)
    sys.exit(1 if problems else 0)


main()
