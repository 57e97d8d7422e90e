#!/usr/bin/env python3
"""Checks a rendered return's outputs against its return.json.

    check_return.py csv RETURN.json DIR     table_N.csv, notes.csv, csv-metadata.json
    check_return.py csvw DIR                csv-metadata.json describes every *.csv of
                                            DIR (a national folder too) by its header
    check_return.py sdmx RETURN.json DIR    return.sdmx.csv
    check_return.py sheets RETURN.json DIR [BASE]
                                            the CSVs LibreOffice made from BASE.ods
                                            (default return.ods), one per sheet
                                            (BASE-SHEET.csv)
    check_return.py html RETURN.json FILE   report.html (or Chromium's --dump-dom of it):
                                            four sized, labelled SVG charts drawn to
                                            scale, no script, nothing fetched
    check_return.py ods RETURN.json DIR     return.ods's package and content.xml: sheet
                                            order, one header row, nothing below the
                                            table, no merged cells, numbers numeric

The expected tables are written out here from RETURN.md and
formats/return-outputs.md, independently of the C code: which JSON value
belongs in which row and column, with which Home Office label.  A Welsh
site's outputs are checked by their English (a cell's last paragraph, a
title's "en-GB"), their Welsh by check_welsh.py.  Prints one line per
problem and exits 1 if there is any.
"""
import csv
import html.parser
import io
import json
import re
import os
import sys
import xml.etree.ElementTree as ET
import zipfile

problems = []


def problem(msg):
    problems.append(msg)


AGE = [("0-11", "0 to 11 (local breakdown)"), ("12-15", "12 to 15 (local breakdown)"),
       ("16-17", "16 to 17 (local breakdown)"),
       ("unknown", "Not specified or unknown")]
GENDER = [("female", "Female"), ("male", "Male"), ("other", "Other"),
          ("unknown", "Not specified or unknown")]
TYPES = [("criminal", "Criminal"), ("domestic", "Domestic"), ("labour", "Labour"),
         ("sexual", "Sexual"), ("organ_harvesting", "Organ Harvesting"),
         ("not_specified", "Not specified or unknown")]
LOCATION = [("uk", "UK"), ("overseas", "Overseas"), ("uk_and_overseas", "UK and Overseas"),
            ("unknown", "Not specified or unknown")]
RESPONDER = [("government_agency", "Government agency"), ("ngo", "NGO and third sector"),
             ("police", "Police"), ("local_authority", "Local Authority"),
             ("unknown", "Not specified or unknown")]
MAKERS = [("ddm_panel", "Devolved decision-making panel"),
          ("sca", "Single Competent Authority"),
          ("ieca", "Immigration Enforcement Competent Authority"),
          ("unknown", "Not specified or unknown")]
BANDS = [("0-45", "0 to 45 days"), ("46-90", "46 to 90 days"), ("91-180", "91 to 180 days"),
         ("181-365", "181 to 365 days"), ("366+", "366 days or more")]
STAGES = [("rg", "Reasonable grounds"), ("cg", "Conclusive grounds")]
MISSING = ["nrm_ref", "first_responder_type", "first_responder_org", "local_authority",
           "police_force", "age_at_exploitation", "gender", "nationality",
           "exploitation_types", "county_lines", "exploitation_location", "decision_maker",
           "updated_at"]
COMBO_PARTS = {"Sexual": "sexual", "Labour": "labour", "Domestic": "domestic",
               "Organ Harvesting": "organ_harvesting", "Criminal": "criminal"}


def country_names():
    path = os.environ.get("ISO_3166_FILE", "/usr/share/iso-codes/json/iso_3166-1.json")
    with open(path, encoding="utf-8") as f:
        entries = json.load(f)["3166-1"]
    return {e["alpha_2"]: e.get("common_name", e["name"]) for e in entries}


def nationality_labels():
    """The Home Office's labels (formats/nationality-labels.csv), the
    iso-codes name where the file has none."""
    names = country_names()
    here = os.path.dirname(os.path.abspath(__file__))
    path = os.environ.get("NRMHUB_NATIONALITY_LABELS",
                          os.path.join(here, "..", "..", "formats", "nationality-labels.csv"))
    with open(path, encoding="utf-8") as f:
        rows = [l.rstrip("\n") for l in f if l.strip() and not l.startswith("#")]
    assert rows[0] == "code,label", rows[0]
    names.update(dict(r.split(",", 1) for r in rows[1:]))
    return names


def nationality_label(names, key):
    """One child, one row: a dual national's key is "GB+PL", labelled with
    the two labels in alphabetical order ("Polish UK")."""
    if key == "unknown":
        return "Not specified or unknown"
    return " ".join(sorted(names[c] for c in key.split("+")))


def combo_code(label):
    if label == "Not specified or unknown":
        return "not_specified"
    parts = label.replace(" & ", ", ").split(", ")
    return "+".join(COMBO_PARTS[p] for p in parts)


class Table:
    """One expected table: its header, and rows of (year, quarter, code,
    label, [(value, decimal, measure, unit)])."""

    def __init__(self, number, breakdown, header, value_cols, has_code=True,
                 measure_from_code=False):
        self.file = "table_%d.csv" % number
        self.sheet = "Table_%d" % number
        self.breakdown = breakdown
        self.header = header
        self.value_cols = value_cols  # [(measure, decimal, unit)]
        self.has_code = has_code
        self.measure_from_code = measure_from_code
        self.rows = []
        self.status = None  # each row's Status, with $.revision (apply_revision)
        self.revisions = False  # revisions.csv: figures about figures, none of its own
        # Each value column's key (hub's column names), where a row holds
        # many figures that may share a text: a revision names its column.
        self.col_keys = None

    def add(self, year, q, code, label, values):
        assert len(values) == len(self.value_cols)
        self.rows.append((year, q, code, label, values))


def count_col(title, measure):
    return (title, (measure, False, "NUMBER"))


SERIES_HEADLINE = [("referrals", "Referrals", "REFERRALS"),
                   ("rg_decisions", "Reasonable grounds decisions", "RG_DECISIONS"),
                   ("cg_decisions", "Conclusive grounds decisions", "CG_DECISIONS"),
                   ("awaiting_rg", "Awaiting reasonable grounds", "AWAITING_RG"),
                   ("awaiting_cg", "Awaiting conclusive grounds", "AWAITING_CG")]


def series_percent(part, whole):
    """100 * part / whole, one decimal, half up; [c] with either, [z] (None) of 0."""
    if "[c]" in (part, whole):
        return "[c]"
    if whole == 0:
        return None
    return ((part * 1000 * 2 + whole) // (2 * whole)) / 10


def series_change(now, base):
    """(change, percent change) as Table_17 shows them: [x] without a base,
    [c] with either hidden, [z] (None) for the percent of a base of 0, the
    percent rounded half away from zero."""
    if base is MISSING_BASE:
        return "[x]", "[x]"
    if "[c]" in (now, base):
        return "[c]", "[c]"
    if base == 0:
        return now - base, None
    d = now - base
    mag = (abs(d) * 1000 * 2 + base) // (2 * base)
    return d, (mag if d >= 0 else -mag) / 10


MISSING_BASE = object()


def series_tables(ret):
    """Table_16 (the series) and Table_17 (its headline figures' changes),
    worked out here from return.json's series, independently of nrmhub."""
    rows = ret["series"]
    t = Table(16, "_T", ["Year", "Quarter", "Referrals", "Reasonable grounds decisions",
                         "Positive reasonable grounds",
                         "Reasonable grounds: percentage positive",
                         "Conclusive grounds decisions", "Positive conclusive grounds",
                         "Conclusive grounds: percentage positive",
                         "Mean days from referral to reasonable grounds",
                         "Median days from referral to reasonable grounds",
                         "Mean days from referral to conclusive grounds",
                         "Median days from referral to conclusive grounds",
                         "Awaiting reasonable grounds at quarter end",
                         "Awaiting conclusive grounds at quarter end"],
              [("REFERRALS", False, "NUMBER"), ("RG_DECISIONS", False, "NUMBER"),
               ("RG_POSITIVE", False, "NUMBER"), ("RG_PERCENT_POSITIVE", True, "PERCENT"),
               ("CG_DECISIONS", False, "NUMBER"), ("CG_POSITIVE", False, "NUMBER"),
               ("CG_PERCENT_POSITIVE", True, "PERCENT"), ("RG_DAYS_MEAN", True, "DAYS"),
               ("RG_DAYS_MEDIAN", True, "DAYS"), ("CG_DAYS_MEAN", True, "DAYS"),
               ("CG_DAYS_MEDIAN", True, "DAYS"), ("AWAITING_RG", False, "NUMBER"),
               ("AWAITING_CG", False, "NUMBER")], has_code=False)
    t.col_keys = ["referrals", "rg_decisions", "rg_positive", "rg_percent_positive",
                  "cg_decisions", "cg_positive", "cg_percent_positive", "mean_days_rg",
                  "median_days_rg", "mean_days_cg", "median_days_cg", "awaiting_rg",
                  "awaiting_cg"]
    for e in rows:
        t.add(int(e["quarter"][:4]), "Q" + e["quarter"][5], None, None,
              [e["referrals"], e["rg_decisions"], e["rg_positive"],
               series_percent(e["rg_positive"], e["rg_decisions"]), e["cg_decisions"],
               e["cg_positive"], series_percent(e["cg_positive"], e["cg_decisions"]),
               e["mean_days_rg"], e["median_days_rg"], e["mean_days_cg"],
               e["median_days_cg"], e["awaiting_rg"], e["awaiting_cg"]])
    titles, measures = ["Year", "Quarter"], []
    for key, title, measure in SERIES_HEADLINE:
        titles += [title + ": change on the previous quarter",
                   title + ": percent change on the previous quarter",
                   title + ": change on the same quarter a year earlier",
                   title + ": percent change on the same quarter a year earlier"]
        measures += [(measure + "_CHANGE_QUARTER", False, "NUMBER"),
                     (measure + "_PCT_CHANGE_QUARTER", True, "PERCENT"),
                     (measure + "_CHANGE_YEAR", False, "NUMBER"),
                     (measure + "_PCT_CHANGE_YEAR", True, "PERCENT")]
    c = Table(17, "_T", titles, measures, has_code=False)
    c.col_keys = [key + suffix for key, _, _ in SERIES_HEADLINE
                  for suffix in ("_change_quarter", "_percent_change_quarter",
                                 "_change_year", "_percent_change_year")]
    for i, e in enumerate(rows):
        values = []
        for key, _, _ in SERIES_HEADLINE:
            for lag in (1, 4):
                base = rows[i - lag][key] if i >= lag else MISSING_BASE
                values += list(series_change(e[key], base))
        c.add(int(e["quarter"][:4]), "Q" + e["quarter"][5], None, None, values)
    return [t, c]


def expected_tables(ret):
    y, q = int(ret["quarter"][:4]), "Q" + ret["quarter"][5]
    r = ret["referrals"]
    tables = []

    def breakdown(number, bd, code_title, label_title, pairs, obj, total, child=False):
        t = Table(number, bd, ["Year", "Quarter", code_title + " code", label_title,
                               "Number of referrals"], [("REFERRALS", False, "NUMBER")])
        if child:
            # The Home Office's Child (17 or under): the bands' sum, hidden
            # with any of them.
            bands = [obj[c] for c, _ in pairs if c != "unknown"]
            t.add(y, q, "child", "Child (17 or under)",
                  ["[c]" if "[c]" in bands else sum(bands)])
        for code, label in pairs:
            t.add(y, q, code, label, [obj[code]])
        if total is not None:
            t.add(y, q, "total", "Total", [total])
        tables.append(t)

    # Table_1: each row its own measure.
    t = Table(1, "_T", ["Year", "Quarter", "Measure code", "Measure", "Number"],
              [(None, False, "NUMBER")], measure_from_code=True)
    for code, value in [
            ("referrals", r["total"]), ("county_lines", r["county_lines"]),
            ("rg_positive", ret["decisions"]["rg"]["positive"]),
            ("rg_negative", ret["decisions"]["rg"]["negative"]),
            ("cg_positive", ret["decisions"]["cg"]["positive"]),
            ("cg_negative", ret["decisions"]["cg"]["negative"]),
            ("awaiting_rg", ret["awaiting"]["rg"]["count"]),
            ("awaiting_cg", ret["awaiting"]["cg"]["count"]),
            ("withdrawn", ret["withdrawn"]), ("transferred", ret["transferred"]),
            ("out_of_scope", ret["quality"]["out_of_scope"])]:
        t.add(y, q, code, None, [value])
    tables.append(t)
    breakdown(2, "AGE_BAND", "Age at exploitation", "Age at exploitation", AGE,
              r["by_age_band"], r["total"], child=True)
    breakdown(3, "GENDER", "Gender", "Gender", GENDER, r["by_gender"], r["total"])
    breakdown(4, "EXPLOITATION_TYPE", "Exploitation type", "Exploitation type", TYPES,
              r["by_exploitation_type"], None)
    combos = [(combo_code(k), k) for k in r["by_exploitation_combination"]]
    breakdown(5, "EXPLOITATION_COMBINATION", "Exploitation type combination",
              "Exploitation type combination", combos,
              {code: r["by_exploitation_combination"][k] for code, k in combos}, r["total"])
    names = nationality_labels()
    codes = sorted(k for k in r["by_nationality"] if k != "unknown")
    if "unknown" in r["by_nationality"]:
        codes.append("unknown")
    breakdown(6, "NATIONALITY", "Nationality", "Nationality",
              [(c, nationality_label(names, c)) for c in codes],
              r["by_nationality"], r["total"])
    breakdown(7, "LOCATION", "Location of exploitation", "Location of exploitation",
              LOCATION, r["by_location"], r["total"])
    breakdown(8, "FIRST_RESPONDER_TYPE", "First responder type", "First responder type",
              RESPONDER, r["by_first_responder_type"], r["total"])
    def percent(pos, neg):
        # 100 * pos / (pos + neg), one decimal, half up; [c] with either
        # count, [z] (None) when nothing was decided.
        if "[c]" in (pos, neg):
            return "[c]"
        total = pos + neg
        if total == 0:
            return None
        return ((pos * 1000 * 2 + total) // (2 * total)) / 10

    for number, stage, word in [(9, "rg", "reasonable"), (10, "cg", "conclusive")]:
        d = ret["decisions"][stage]
        t = Table(number, "DECISION_MAKER",
                  ["Year", "Quarter", "Decision maker code", "Decision maker",
                   "Positive %s grounds" % word, "Negative %s grounds" % word,
                   "Percentage positive (of the row's positive and negative)"],
                  [(stage.upper() + "_POSITIVE", False, "NUMBER"),
                   (stage.upper() + "_NEGATIVE", False, "NUMBER"),
                   (stage.upper() + "_PERCENT_POSITIVE", True, "PERCENT")])
        for code, label in MAKERS:
            m = d["by_decision_maker"][code]
            t.add(y, q, code, label, [m["positive"], m["negative"],
                                      percent(m["positive"], m["negative"])])
        t.add(y, q, "total", "Total", [d["positive"], d["negative"],
                                       percent(d["positive"], d["negative"])])
        tables.append(t)
    t = Table(11, "DECISION_STAGE",
              ["Year", "Quarter", "Decision stage code", "Decision stage",
               "Number of decisions", "Mean days from referral", "Median days from referral",
               "90th percentile days from referral", "Decisions within 45 days of referral"],
              [("DECISIONS", False, "NUMBER"), ("DAYS_MEAN", True, "DAYS"),
               ("DAYS_MEDIAN", True, "DAYS"), ("DAYS_P90", False, "DAYS"),
               ("WITHIN_45_DAYS", False, "NUMBER")])
    for code, label in STAGES:
        d = ret["days_to_decision"][code]
        t.add(y, q, code, label,
              [d["count"], d["mean"], d["median"], d["p90"], d["within_45_days"]])
    tables.append(t)
    t = Table(12, "DAYS_TO_DECISION",
              ["Year", "Quarter", "Days to decision code", "Days to decision",
               "Reasonable grounds decisions", "Conclusive grounds decisions"],
              [("RG_DECISIONS", False, "NUMBER"), ("CG_DECISIONS", False, "NUMBER")])
    dd = ret["days_to_decision"]
    for code, label in BANDS:
        t.add(y, q, code, label,
              [dd["rg"]["distribution"][code], dd["cg"]["distribution"][code]])
    t.add(y, q, "total", "Total", [dd["rg"]["count"], dd["cg"]["count"]])
    tables.append(t)
    t = Table(13, "DECISION_STAGE",
              ["Year", "Quarter", "Decision stage code", "Decision awaited",
               "Cases awaiting a decision", "Mean age of case in days",
               "Median age of case in days"],
              [("AWAITING", False, "NUMBER"), ("AGE_MEAN", True, "DAYS"),
               ("AGE_MEDIAN", True, "DAYS")])
    aw = ret["awaiting"]
    for code, label in STAGES:
        t.add(y, q, code, label,
              [aw[code]["count"], aw[code]["mean_age_days"], aw[code]["median_age_days"]])
    tables.append(t)
    t = Table(14, "AGE_OF_CASE",
              ["Year", "Quarter", "Age of case code", "Age of case",
               "Awaiting reasonable grounds", "Awaiting conclusive grounds"],
              [("AWAITING_RG", False, "NUMBER"), ("AWAITING_CG", False, "NUMBER")])
    for code, label in BANDS:
        t.add(y, q, code, label,
              [aw["rg"]["by_age_band"][code], aw["cg"]["by_age_band"][code]])
    t.add(y, q, "total", "Total", [aw["rg"]["count"], aw["cg"]["count"]])
    tables.append(t)
    t = Table(15, "FIELD", ["Year", "Quarter", "Field code", "Field",
                            "Referrals with the field missing"],
              [("MISSING", False, "NUMBER")])
    for code in MISSING:
        t.add(y, q, code, None, [ret["quality"]["missing"][code]])
    tables.append(t)
    t = Table(16, "_T", ["Year", "Quarter", "Referrals", "Reasonable grounds decisions",
                         "Conclusive grounds decisions",
                         "Mean days from referral to reasonable grounds",
                         "Mean days from referral to conclusive grounds"],
              [("REFERRALS", False, "NUMBER"), ("RG_DECISIONS", False, "NUMBER"),
               ("CG_DECISIONS", False, "NUMBER"), ("RG_DAYS_MEAN", True, "DAYS"),
               ("CG_DAYS_MEAN", True, "DAYS")], has_code=False)
    if "series" in ret:
        tables.extend(series_tables(ret))
    else:
        for e in ret["trend"]:
            t.add(int(e["quarter"][:4]), "Q" + e["quarter"][5], None, None,
                  [e["referrals"], e["rg_decisions"], e["cg_decisions"], e["mean_days_rg"],
                   e["mean_days_cg"]])
        tables.append(t)
    if "comparison" in ret:
        # The site's two groups of the comparison (official only), each
        # decision and period a row, the percentages beside their counts.
        cmp = ret["comparison"]
        t = Table(len(tables) + 1, "COMPARISON", ["Year", "Quarter", "Group, decision and period code",
                                     "Group, decision and period", "Decisions",
                                     "Positive decisions",
                                     "Percentage positive (of decisions)",
                                     "Mean days from referral", "Median days from referral",
                                     "90th percentile days from referral",
                                     "Decided within 45 days of referral",
                                     "Percentage within 45 days (of decisions)"],
                  [("DECISIONS", False, "NUMBER"), ("POSITIVE", False, "NUMBER"),
                   ("PERCENT_POSITIVE", True, "PERCENT"), ("DAYS_MEAN", True, "DAYS"),
                   ("DAYS_MEDIAN", True, "DAYS"), ("DAYS_P90", False, "DAYS"),
                   ("WITHIN_45", False, "NUMBER"), ("PERCENT_WITHIN_45", True, "PERCENT")])
        for g in cmp["groups"]:
            for period, plabel in (("quarter", "decisions dated in the quarter"),
                                   ("cumulative", "since " + cmp["since"])):
                for st, slabel in (("rg", "reasonable grounds"), ("cg", "conclusive grounds")):
                    f = g[period][st]
                    t.add(y, q, "%s_%s_%s" % (g["group"], st, period),
                          "%s; %s, %s" % (g["label"], slabel, plabel),
                          [f["count"], f["positive"], f["percent_positive"], f["mean"],
                           f["median"], f["p90"], f["within_45_days"],
                           f["percent_within_45_days"]])
        tables.append(t)
    return tables


# What each table is (hub/return_tables.c's keys), by number: revisions
# name a figure by its table's key.
# A return with the series has Table_16 the series, Table_17 its changes
# and the comparison Table_18; an older one the trend and Table_17.
TABLE_KEYS = {1: "summary", 2: "age_band", 3: "gender", 4: "exploitation_type",
              5: "exploitation_combination", 6: "nationality", 7: "location",
              8: "first_responder_type", 9: "rg_decision_maker", 10: "cg_decision_maker",
              11: "days_to_decision", 12: "days_distribution", 13: "awaiting",
              14: "awaiting_age", 15: "quality", 16: "trend", 17: "comparison"}
SERIES_TABLE_KEYS = dict(TABLE_KEYS)
SERIES_TABLE_KEYS.update({16: "series", 17: "series_change", 18: "comparison"})


def table_keys(ret):
    return SERIES_TABLE_KEYS if "series" in ret else TABLE_KEYS


def shown_text(ret, e):
    """The text a revised figure shows: the figure now, for the return's
    own quarter; for an earlier quarter's series row, the one the site
    sent (formats/return.md), the recomputation being in revisions.csv."""
    if "series" in ret and e["quarter"] != ret["quarter"]:
        return e["old"]
    return e["new"]
REVISION_HEADER = ["Year", "Quarter", "Table", "Row code", "Row", "Column", "Change",
                   "Previously sent", "Now", "Difference", "Compared with"]


def apply_revision(ret, tables):
    """$.revision (formats/return.md): every table of figures gains a last
    column Status, each row's shorthand: [p] when its quarter is one of
    $.revision.provisional and it shows a number, [r] when
    $.revision.revised names one of its figures; and a return that
    revises one sent before, or lists revised figures, gains revisions.csv,
    one row per revised figure.  Each table's status is worked out here
    from return.json alone."""
    rev = ret.get("revision")
    if rev is None:
        return tables
    revised = {}
    for e in rev["revised"]:
        if e["change"] != "removed":
            revised.setdefault(e["table"], set()).add(e["row"])
    for t in tables:
        key = table_keys(ret).get(int(t.file[6:-4]))
        t.header = t.header + ["Status"]
        t.status = []
        for year, q, code, label, values in t.rows:
            row = code if t.has_code else "%d %s" % (year, q)
            marks = []
            if "%d%s" % (year, q) in rev["provisional"] and \
                    any(v is not None and v != "[c]" for v in values):
                marks.append("[p]")
            if row in revised.get(key, ()):
                marks.append("[r]")
            t.status.append(" ".join(marks))
    if rev["revises"] is not None or rev["revised"]:
        t = Table(len(tables) + 1, "_T", REVISION_HEADER, [(None, False, None)] * 9,
                  has_code=False)
        t.file = "revisions.csv"
        t.revisions = True
        numbers = {v: k for k, v in table_keys(ret).items()}
        for e in rev["revised"]:
            n = numbers.get(e["table"])
            t.add(int(e["quarter"][:4]), e["quarter"][4:],
                  None, None, ["Table_%d" % n if n else e["table"], e["row"], e["row_label"],
                               e["column"], e["change"], e["old"], e["new"], e["difference"],
                               e["compared_with"]])
        tables.append(t)
    return tables


def cell_text(value, decimal):
    if value is None:
        return "[z]"
    if value in ("[c]", "[x]"):
        return value
    if decimal:
        return "%.1f" % value
    return str(value)


def same(got, want, numeric):
    """In sheets mode numbers are compared as numbers (LibreOffice writes 28
    for a cell holding 28.0)."""
    if got == want:
        return True
    if numeric:
        try:
            return abs(float(got) - float(want)) < 1e-9
        except ValueError:
            return False
    return False


def read_csv(path, check_bytes):
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except OSError as e:
        problem("%s: cannot read: %s" % (path, e))
        return None
    if check_bytes:
        if raw.startswith(b"\xef\xbb\xbf"):
            problem("%s: starts with a byte order mark" % path)
        if raw.replace(b"\r\n", b"").count(b"\n") or not raw.endswith(b"\r\n"):
            problem("%s: lines do not all end with CRLF (RFC 4180)" % path)
    text = raw.decode("utf-8")
    # As a file opened with newline="": a quoted field may hold a line
    # break (LibreOffice's CSV of a cell with Welsh above its English).
    return list(csv.reader(io.StringIO(text, newline=""), strict=True))


def english_fields(rows):
    """LibreOffice's CSV of a Welsh site's sheet holds a cell's Welsh and
    English as two lines: the English is the last."""
    return [[f.split("\n")[-1] for f in row] for row in rows] if rows is not None else None


def check_table(t, path, numeric, check_bytes):
    rows = read_csv(path, check_bytes)
    if numeric:
        rows = skip_to_header(english_fields(rows), t.header, path)
    if rows is None:
        return
    if rows[0] != t.header:
        problem("%s: header %r, expected %r" % (path, rows[0], t.header))
        return
    if len(rows) - 1 != len(t.rows):
        problem("%s: %d rows, expected %d" % (path, len(rows) - 1, len(t.rows)))
    for i, (got, want) in enumerate(zip(rows[1:], t.rows), start=2):
        year, q, code, label, values = want
        where = "%s:%d" % (path, i)
        if not same(got[0], str(year), numeric) or got[1] != q:
            problem("%s: period %s %s, expected %d %s" % (where, got[0], got[1], year, q))
        first_value = 2
        if t.has_code:
            first_value = 4
            if got[2] != code:
                problem("%s: code %r, expected %r" % (where, got[2], code))
            if label is not None and got[3] != label:
                problem("%s: label %r, expected %r" % (where, got[3], label))
        for k, (value, (measure, decimal, unit)) in enumerate(zip(values, t.value_cols)):
            want_text = cell_text(value, decimal)
            if not same(got[first_value + k], want_text, numeric):
                problem("%s: column %r is %r, expected %r" % (
                    where, t.header[first_value + k], got[first_value + k], want_text))
        if t.status is not None and got[-1] != t.status[i - 2]:
            problem("%s: Status is %r, expected %r" % (where, got[-1], t.status[i - 2]))


def check_csvw(tables, d, audience):
    meta = check_csvw_files(d)
    want_urls = [t.file for t in tables] + ["notes.csv", "return.sdmx.csv"]
    # The official return's record-level extract is a CSV of the folder too.
    if audience == "official":
        want_urls.append("cases.csv")
    got = [t["url"] for t in meta.get("tables", [])]
    if got != want_urls:
        problem("csv-metadata.json: tables %r, expected %r" % (got, want_urls))
    described = {t["url"]: t for t in meta.get("tables", [])}
    for url in want_urls:
        if url.startswith("table_") and url in described:
            for c in described[url]["tableSchema"]["columns"]:
                if c.get("datatype") in ("nonNegativeInteger", "decimal") and \
                        "[c]" not in c.get("null", []):
                    problem("csv-metadata.json: %s: %s does not declare [c] as null" % (
                        url, c.get("name")))
    # The files that are not tables of figures, field by field.
    for url in ("return.sdmx.csv", "cases.csv"):
        if url in described and os.path.exists(os.path.join(d, url)):
            check_by_datatype(url, described[url]["tableSchema"]["columns"],
                              read_csv(os.path.join(d, url), False)[1:])


def check_csvw_files(d):
    """Every *.csv of folder d is described in its csv-metadata.json, whose
    columns name each file's header in order, each with a name, titles and
    a datatype, names unique, a primary key of its columns.  Returns the
    metadata."""
    with open(os.path.join(d, "csv-metadata.json"), encoding="utf-8") as f:
        meta = json.load(f)
    if meta.get("@context") != "http://www.w3.org/ns/csvw":
        problem("csv-metadata.json: @context is not CSVW")
    described = {t["url"]: t for t in meta.get("tables", [])}
    for name in sorted(os.listdir(d)):
        if name.endswith(".csv") and name not in described:
            problem("csv-metadata.json: %s is in the folder but not described" % name)
    for url, table in described.items():
        if not os.path.exists(os.path.join(d, url)):
            continue
        cols = table["tableSchema"]["columns"]
        rows = read_csv(os.path.join(d, url), False)
        header = rows[0] if rows else []
        # A Welsh site's titles are {"cy": ..., "en-GB": ...}: the English
        # names the header.
        english = [c["titles"].get("en-GB") if isinstance(c.get("titles"), dict)
                   else c.get("titles") for c in cols]
        if english != header:
            problem("csv-metadata.json: %s: titles %r do not name the header %r" % (
                url, english, header))
        for c in cols:
            for key in ("name", "titles", "datatype"):
                if not c.get(key):
                    problem("csv-metadata.json: %s: a column has no %s" % (url, key))
        names = [c["name"] for c in cols if "name" in c]
        if len(set(names)) != len(cols):
            problem("csv-metadata.json: %s: column names repeat" % url)
        key = table["tableSchema"].get("primaryKey")
        if not all(k in names for k in ([key] if isinstance(key, str) else key or [None])):
            problem("csv-metadata.json: %s: primary key %r is not its columns" % (url, key))
    return meta


DATATYPE = {"date": r"\d{4}-\d{2}-\d{2}", "boolean": r"true|false",
            "nonNegativeInteger": r"\d+", "integer": r"-?\d+", "decimal": r"-?\d+(\.\d+)?",
            "string": r".*"}


def check_by_datatype(url, cols, rows):
    """Each field of the extract or the SDMX-CSV file is what its column's
    datatype says, and present where the column is required (empty is
    CSVW's null)."""
    for i, row in enumerate(rows, start=2):
        for c, value in zip(cols, row):
            if value == "":
                if c.get("required"):
                    problem("%s:%d: %s is required but empty" % (url, i, c["name"]))
            elif not re.fullmatch(DATATYPE.get(c["datatype"], "(?!)"), value):
                problem("%s:%d: %s %r is not a %s" % (url, i, c["name"], value, c["datatype"]))


def check_notes(path, numeric):
    rows = read_csv(path, not numeric)
    if numeric:
        rows = skip_to_header(english_fields(rows), ["Note number", "Note text"], path)
    if not rows or rows[0] != ["Note number", "Note text"] or len(rows) < 2:
        problem("%s: not a notes table" % path)
        return
    for i, row in enumerate(rows[1:], start=1):
        if row[0] != "[note %d]" % i or not row[1]:
            problem("%s:%d: %r is not note %d" % (path, i + 1, row, i))


# The SDMX structure spelled out on its own (schemas/nrmhub-sdmx.xml): each
# table breakdown's dimension and how a row code becomes its code.
SDMX_DIMS = ["REF_AREA", "MEASURE", "AGE", "SEX", "EXPLOITATION_TYPE",
             "EXPLOITATION_COMBINATION", "NATIONALITY", "SECOND_NATIONALITY",
             "EXPLOITATION_LOCATION", "FIRST_RESPONDER", "DECISION_MAKER", "DECISION_STAGE",
             "DAYS_TO_DECISION", "CASE_AGE", "DATA_FIELD", "COMPARISON_GROUP", "PERIOD_BASIS",
             "TIME_PERIOD"]
SDMX_SPECIAL = {"unknown": "_U", "not_specified": "_U", "other": "_O", "female": "F",
                "male": "M", "child": "Y0T17", "0-11": "Y0T11", "12-15": "Y12T15",
                "16-17": "Y16T17", "0-45": "D0T45", "46-90": "D46T90", "91-180": "D91T180",
                "181-365": "D181T365", "366+": "D_GE366"}
SDMX_BREAKDOWN = {"AGE_BAND": "AGE", "GENDER": "SEX", "EXPLOITATION_TYPE": "EXPLOITATION_TYPE",
                  "EXPLOITATION_COMBINATION": "EXPLOITATION_COMBINATION",
                  "LOCATION": "EXPLOITATION_LOCATION",
                  "FIRST_RESPONDER_TYPE": "FIRST_RESPONDER", "DECISION_MAKER": "DECISION_MAKER",
                  "DECISION_STAGE": "DECISION_STAGE", "DAYS_TO_DECISION": "DAYS_TO_DECISION",
                  "AGE_OF_CASE": "CASE_AGE", "FIELD": "DATA_FIELD"}
SDMX_UNIT = {"NUMBER": "NR", "DAYS": "DAY", "PERCENT": "PC"}


def sdmx_key(ret, period, measure, breakdown, code):
    key = dict((d, "_T") for d in SDMX_DIMS)
    key.update(REF_AREA=ret.get("area", "_U"), PERIOD_BASIS="Q", TIME_PERIOD=period,
               MEASURE={"WITHIN_45": "WITHIN_45_DAYS"}.get(measure, measure))
    if code is None or code == "total":
        return tuple(key[d] for d in SDMX_DIMS)
    if breakdown == "NATIONALITY":
        first, _, second = code.partition("+")
        key["NATIONALITY"] = "_U" if code == "unknown" else first
        key["SECOND_NATIONALITY"] = second or "_Z"
    elif breakdown == "COMPARISON":
        group, stage, basis = re.match(r"(.+)_(rg|cg)_(quarter|cumulative)$", code).groups()
        key.update(COMPARISON_GROUP=group.upper(), DECISION_STAGE=stage.upper(),
                   PERIOD_BASIS="Q" if basis == "quarter" else "CUM")
    else:
        key[SDMX_BREAKDOWN[breakdown]] = SDMX_SPECIAL.get(code, code.replace("+", "__").upper())
    return tuple(key[d] for d in SDMX_DIMS)


def revised_texts(ret, t):
    """The figures $.revision.revised names in table t, as {row: {shown
    text}}: a figure of the row showing one of them is revised; or, for a
    table that knows its columns' keys, {(row, column): {shown text}}."""
    out = {}
    key = table_keys(ret).get(int(t.file[6:-4])) if t.file.startswith("table_") else None
    for e in (ret.get("revision") or {}).get("revised", []):
        if e["table"] == key and e["change"] != "removed":
            at = (e["row"], e["column"]) if t.col_keys else e["row"]
            out.setdefault(at, set()).add(shown_text(ret, e))
    return out


def check_sdmx(ret, tables, d):
    path = os.path.join(d, "return.sdmx.csv")
    rows = read_csv(path, True)
    head = ["DATAFLOW"] + SDMX_DIMS + ["OBS_VALUE", "OBS_STATUS", "UNIT_MEASURE"]
    if rows[0] != head:
        problem("%s: header %r" % (path, rows[0]))
        return
    got = {}
    for i, row in enumerate(rows[1:], start=2):
        if row[0] != "NRMHUB:DF_DDM_SITE_RETURN(1.0)":
            problem("%s:%d: dataflow %r" % (path, i, row[0]))
        key = tuple(row[1:1 + len(SDMX_DIMS)])
        if key in got:
            problem("%s:%d: observation %r repeated" % (path, i, key))
        got[key] = tuple(row[1 + len(SDMX_DIMS):])
    want = {}
    for t in tables:
        if t.revisions:  # about figures, with none of its own
            continue
        revised = revised_texts(ret, t)
        for i, (year, q, code, label, values) in enumerate(t.rows):
            row = code if t.has_code else "%d %s" % (year, q)
            for j, (value, (measure, decimal, unit)) in enumerate(zip(values, t.value_cols)):
                period = "%d-%s" % (year, q)
                if t.measure_from_code:
                    key = sdmx_key(ret, period, code.upper(), "_T", None)
                else:
                    key = sdmx_key(ret, period, measure, t.breakdown, code)
                unit = SDMX_UNIT[unit]
                if value == "[c]":
                    obs = ("", "Q", unit)
                elif value is None:
                    obs = ("", "M", unit)
                elif value == "[x]":
                    obs = ("", "O", unit)
                else:
                    # R revised, P provisional (a figure both is R), else A.
                    text = cell_text(value, decimal)
                    status = "A"
                    if t.status is not None and "[p]" in t.status[i]:
                        status = "P"
                    at = (row, t.col_keys[j]) if t.col_keys else row
                    if text in revised.get(at, ()):
                        status = "R"
                    obs = (text, status, unit)
                # A total met again (Table_1 and a Total row) is one observation.
                if key in want and want[key] != obs:
                    problem("return.json gives %r two values: %r and %r" % (key, want[key], obs))
                want.setdefault(key, obs)
    for key in want:
        if key not in got:
            problem("%s: no observation %r" % (path, key))
        elif got[key] != want[key]:
            problem("%s: %r is %r, expected %r" % (path, key, got[key], want[key]))
    for key in got:
        if key not in want:
            problem("%s: unexpected observation %r" % (path, key))


NS = {"table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
      "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
      "number": "urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0",
      "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
      "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
      "manifest": "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"}


def q(prefix, name):
    return "{%s}%s" % (NS[prefix], name)


ODF_PARTS = ("content.xml", "styles.xml", "meta.xml", "settings.xml")


def table_rows(sheet):
    """A sheet's rows as ElementTree elements, its header rows included in
    their place."""
    rows = []
    for child in sheet:
        if child.tag == q("table", "table-row"):
            rows.append(child)
        elif child.tag == q("table", "table-header-rows"):
            rows.extend(child.findall("table:table-row", NS))
    return rows


def english_text(cell):
    """What a cell says in English: in a Welsh site's workbook, its last
    paragraph (the Welsh is above it); else all its text."""
    paragraphs = cell.findall("text:p", NS)
    return "".join(paragraphs[-1].itertext()) if len(paragraphs) > 1 else "".join(cell.itertext())


def cell_texts(row):
    return [english_text(c) for c in row.findall("table:table-cell", NS)]


def check_sheet_layout(name, sheet, header):
    """The Analysis Function's layout: a title alone in A1, then lines of
    text alone in column A, then the one header row (in
    table:table-header-rows, so it prints on every page), then the rows."""
    rows = table_rows(sheet)
    texts = [cell_texts(r) for r in rows]
    if not texts or len(texts[0]) != 1 or not texts[0][0]:
        problem("%s: A1 does not hold the title alone" % name)
        return None
    if header is None:
        return texts
    heads = sheet.findall("table:table-header-rows", NS)
    if len(heads) != 1 or cell_texts(heads[0].find("table:table-row", NS)) != header:
        problem("%s: the header row %r is not the one table:table-header-rows" % (name, header))
    at = texts.index(header) if header in texts else -1
    if at < 1:
        problem("%s: no header row %r" % (name, header))
        return None
    for i, line in enumerate(texts[1:at], start=2):
        if len(line) != 1 or not line[0]:
            problem("%s: row %d above the table is not one line of text: %r" % (name, i, line))
    return texts[at + 1:], rows[at + 1:]


def check_ods_styles(root, styles):
    """Counts and statistics with thousands separators; every column with a
    width; each sheet's print scale in its page layout."""
    number = {}
    for ns in root.iter(q("number", "number-style")):
        n = ns.find("number:number", NS)
        number[ns.get(q("style", "name"))] = n.get(q("number", "grouping")) == "true"
    cells = {}
    for st in root.iter(q("style", "style")):
        cells[st.get(q("style", "name"))] = st
    return number, cells


def check_ods(tables, d):
    path = os.path.join(d, "return.ods")
    with zipfile.ZipFile(path) as z:
        first = z.infolist()[0]
        if first.filename != "mimetype" or first.compress_type != zipfile.ZIP_STORED:
            problem("%s: the first entry is not a stored mimetype" % path)
        if z.read("mimetype") != b"application/vnd.oasis.opendocument.spreadsheet":
            problem("%s: wrong mimetype" % path)
        names = set(z.namelist())
        for part in ODF_PARTS + ("META-INF/manifest.xml",):
            if part not in names:
                problem("%s: no %s" % (path, part))
        parts = {p: ET.fromstring(z.read(p)) for p in ODF_PARTS + ("META-INF/manifest.xml",)
                 if p in names}
        dates = {i.date_time for i in z.infolist()}
    root = parts["content.xml"]
    for p, r in parts.items():
        version = r.get(q("office", "version")) or r.get(q("manifest", "version"))
        if version != "1.2":
            problem("%s: version %r, not ODF 1.2" % (p, version))
    if len(dates) != 1:
        problem("%s: entries dated %r, not all alike" % (path, sorted(dates)))
    sheets = root.findall(".//table:table", NS)
    want = ["Cover_sheet", "Table_of_contents", "Notes"] + [t.sheet for t in tables]
    got = [s.get(q("table", "name")) for s in sheets]
    if got != want:
        problem("content.xml: sheets %r, expected %r" % (got, want))
    for attr in ("number-columns-spanned", "number-rows-spanned"):
        if any(c.get(q("table", attr)) for c in root.iter(q("table", "table-cell"))):
            problem("content.xml: a merged cell (%s)" % attr)
    number, styles = check_ods_styles(root, None)
    by_name = dict(zip(got, sheets))
    for name, sheet in by_name.items():
        cols = sheet.findall("table:table-column", NS)
        if not cols or any(styles.get(c.get(q("table", "style-name"))) is None for c in cols):
            problem("%s: a column without a width style" % name)
        table_style = styles.get(sheet.get(q("table", "style-name")))
        if table_style is None or not table_style.get(q("style", "master-page-name")):
            problem("%s: no master page to print with" % name)
    check_sheet_layout("Cover_sheet", by_name.get("Cover_sheet", []), None)
    toc = check_sheet_layout("Table_of_contents", by_name["Table_of_contents"],
                             ["Sheet name", "Sheet title"])
    if toc:
        links = [r.find(".//text:a", NS) for r in toc[1]]
        targets = [a.get("{http://www.w3.org/1999/xlink}href") if a is not None else None
                   for a in links]
        if targets != ["#%s.A1" % s for s in want if s != "Table_of_contents"]:
            problem("Table_of_contents: links %r" % targets)
    check_sheet_layout("Notes", by_name["Notes"], ["Note number", "Note text"])
    for t in tables:
        sheet = by_name.get(t.sheet)
        if sheet is None:
            continue
        got_rows = check_sheet_layout(t.sheet, sheet, t.header)
        if not got_rows:
            continue
        rows = got_rows[1]
        if len(rows) != len(t.rows):
            problem("%s: %d rows below the header, expected %d" % (t.sheet, len(rows),
                                                                   len(t.rows)))
        for r, row in enumerate(rows, start=2):
            for c, cell in enumerate(row.findall("table:table-cell", NS)):
                text = english_text(cell)
                kind = cell.get(q("office", "value-type"))
                style = styles.get(cell.get(q("table", "style-name")))
                data_style = style.get(q("style", "data-style-name")) if style is not None else None
                if t.status is not None and c == len(t.header) - 1:
                    if kind != "string" or text != t.status[r - 2]:
                        problem("%s row %d: Status %r (%s), expected %r" % (
                            t.sheet, r, text, kind, t.status[r - 2]))
                    continue
                if text in ("[c]", "[z]", "[x]") or c in (1, 2, 3) and t.has_code or \
                        c == 1 and not t.has_code or t.revisions and c > 0:
                    if kind != "string":
                        problem("%s row %d cell %d: %r is %s, not text" % (t.sheet, r, c, text, kind))
                elif kind != "float" or float(cell.get(q("office", "value"))) != float(text):
                    problem("%s row %d cell %d: %r is not a numeric cell" % (t.sheet, r, c, text))
                elif c > 0 and not number.get(data_style):
                    problem("%s row %d cell %d: %r has no thousands separator" % (
                        t.sheet, r, c, text))


def skip_to_header(rows, header, what):
    """LibreOffice's CSV of a sheet: the title and the lines above the table,
    then the table; the rows from its header on."""
    for i, row in enumerate(rows or []):
        if [f for f in row if f] == header:
            return [row[:len(header)] for row in rows[i:]]
    problem("%s: no header row %r" % (what, header))
    return None


class Page(html.parser.HTMLParser):
    """Collects the charts: each svg's attributes, its title and desc, and
    each bar's height with the value its tooltip names."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.svgs = {}
        self.svg = None
        self.stack = []
        self.bar = None
        self.tags = []
        self.texts = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append((tag, a))
        if tag == "svg":
            self.svg = {"attrs": a, "title": "", "desc": "", "bars": [], "ids": set(),
                        "axis_labels": 0}
            self.svgs[a.get("id")] = self.svg
        if self.svg is not None:
            if a.get("id"):
                self.svg["ids"].add(a["id"])
            if tag == "text" and a.get("class") == "alabel":
                self.svg["axis_labels"] += 1
            if tag == "rect" and "height" in a and a.get("fill") and "width" in a:
                self.bar = {"height": float(a["height"]), "title": ""}
                self.svg["bars"].append(self.bar)
        self.stack.append(tag)

    def handle_endtag(self, tag):
        if self.stack and self.stack[-1] == tag:
            self.stack.pop()
        if tag == "svg":
            self.svg = None
        if tag == "rect":
            self.bar = None

    def handle_data(self, data):
        self.texts.append(data)
        if self.svg is None or not self.stack:
            return
        if self.stack[-1] == "title":
            if self.bar is not None:
                self.bar["title"] += data
            elif len(self.stack) >= 2 and self.stack[-2] == "svg":
                self.svg["title"] += data
        elif self.stack[-1] == "desc":
            self.svg["desc"] += data


def check_html(ret, path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    page = Page()
    page.feed(text)
    if any(tag == "script" for tag, _ in page.tags):
        problem("%s: has a script" % path)
    for tag, a in page.tags:
        for key in ("src", "href"):
            if a.get(key) and not a[key].startswith("#"):
                problem("%s: <%s %s=%r> fetches something" % (path, tag, key, a[key]))
        if tag == "link":
            problem("%s: has a <link>" % path)
    if re.search(r"@import|url\(", text):
        problem("%s: CSS fetches something" % path)
    if "@media print" not in text:
        problem("%s: no print styles" % path)
    for chart in ("chart-days", "chart-awaiting", "chart-exploitation", "chart-trend"):
        svg = page.svgs.get(chart)
        if svg is None:
            problem("%s: no chart %s" % (path, chart))
            continue
        a = svg["attrs"]
        try:
            w, h = int(a["width"]), int(a["height"])
            if w < 200 or h < 200 or a.get("viewbox", a.get("viewBox")) != "0 0 %d %d" % (w, h):
                problem("%s: %s is %sx%s with viewBox %r" % (path, chart, w, h, a.get("viewbox")))
        except (KeyError, ValueError):
            problem("%s: %s has no numeric width and height" % (path, chart))
        labelled = (a.get("aria-labelledby") or "").split()
        if a.get("role") != "img" or not labelled or not all(i in svg["ids"] for i in labelled):
            problem("%s: %s is not labelled by its own title and desc" % (path, chart))
        if svg["axis_labels"] < 2:
            problem("%s: %s has %d axis labels" % (path, chart, svg["axis_labels"]))
        if not svg["title"].strip() or not svg["desc"].strip():
            problem("%s: %s has an empty title or desc" % (path, chart))
        # Drawn to scale: each bar's height is its value times one scale,
        # to the 0.1 of a unit the heights are written with.
        pairs = []
        for bar in svg["bars"]:
            m = re.search(r": ([0-9.]+)$", bar["title"])
            if m and float(m.group(1)) > 0:
                pairs.append((bar["height"], float(m.group(1))))
        if pairs:
            h_ref, v_ref = max(pairs, key=lambda p: p[1])
            for hgt, val in pairs:
                if abs(hgt - val * h_ref / v_ref) > 0.2:
                    problem("%s: %s: a bar of %g is %g high, not %g" % (
                        path, chart, val, hgt, val * h_ref / v_ref))
    expect_desc(path, page, "chart-days", ret["days_to_decision"], "distribution",
                ["Reasonable grounds", "Conclusive grounds"])
    expect_desc(path, page, "chart-awaiting", ret["awaiting"], "by_age_band",
                ["Awaiting reasonable grounds", "Awaiting conclusive grounds"])
    types = ret["referrals"]["by_exploitation_type"]
    desc = page.svgs.get("chart-exploitation", {}).get("desc", "")
    for code, label in TYPES:
        want = "%s %s" % (label, spoken(types[code]))
        if want not in desc:
            problem("%s: chart-exploitation's desc lacks %r" % (path, want))
    desc = page.svgs.get("chart-trend", {}).get("desc", "")
    # The chart draws the series' last 40 quarters (all of a trend's 8).
    for e in ret.get("series", ret.get("trend"))[-40:]:
        want = "Q%s %s %s" % (e["quarter"][5], e["quarter"][:4], spoken(e["referrals"]))
        if want not in desc:
            problem("%s: chart-trend's desc lacks %r" % (path, want))
    # Every table is on the page, for screen readers and for print.
    table_ids = [a.get("id") for tag, a in page.tags if tag == "table"]
    # Table_1 to Table_16 (the series adds Table_17, its changes), then the
    # comparison, then the revisions.
    last = (17 if "series" in ret else 16) + ("comparison" in ret)
    want_ids = ["Table_%d" % n for n in range(1, last + 1)]
    rev = ret.get("revision")
    revising = rev is not None and (rev["revises"] is not None or rev["revised"])
    if revising and rev["revised"]:  # an empty one is said in a sentence
        want_ids.append("Table_%d" % (last + 1))
    if sorted(table_ids) != sorted(want_ids):
        problem("%s: tables %r, expected %s once each" % (path, table_ids, want_ids))
    body = "".join(page.texts)
    # A revision says what changed and why, in its own section.
    if revising and "What changed and why" not in body:
        problem("%s: no \"What changed and why\" section" % path)
    if revising and rev["reason"] and "Why: " + rev["reason"] not in body:
        problem("%s: the revision's reason is not on the page" % path)
    # The site by the name the return records, else by its code.
    site = ret.get("site_name", ret["site"])
    if site not in body or ret["quarter"] not in body:
        problem("%s: does not name the site and quarter" % path)


def spoken(value, decimal=False):
    if value == "[c]":
        return "suppressed [c]"
    if value is None:
        return "not applicable [z]"
    return cell_text(value, decimal)


def expect_desc(path, page, chart, obj, key, series):
    desc = page.svgs.get(chart, {}).get("desc", "")
    for stage, name in zip(("rg", "cg"), series):
        parts = ["%s %s" % (label, spoken(obj[stage][key][code])) for code, label in BANDS]
        want = "%s: %s" % (name, "; ".join(parts))
        if want not in desc:
            problem("%s: %s's desc lacks %r" % (path, chart, want))


def main():
    if sys.argv[1] == "csvw":
        check_csvw_files(sys.argv[2])
        for p in problems:
            print(p)
        sys.exit(1 if problems else 0)
    mode, ret_path, d = sys.argv[1:4]
    with open(ret_path, encoding="utf-8") as f:
        ret = json.load(f)
    tables = apply_revision(ret, expected_tables(ret))
    if mode == "csv":
        for t in tables:
            check_table(t, os.path.join(d, t.file), False, True)
        check_notes(os.path.join(d, "notes.csv"), False)
        check_csvw(tables, d, ret["audience"])
    elif mode == "sdmx":
        check_sdmx(ret, tables, d)
    elif mode == "html":
        check_html(ret, d)
    elif mode == "ods":
        check_ods(tables, d)
    elif mode == "sheets":
        base = sys.argv[4] if len(sys.argv) > 4 else "return"
        for t in tables:
            check_table(t, os.path.join(d, "%s-%s.csv" % (base, t.sheet)), True, False)
        check_notes(os.path.join(d, base + "-Notes.csv"), True)
        toc_path = os.path.join(d, base + "-Table_of_contents.csv")
        toc = english_fields(read_csv(toc_path, False))
        if not toc or toc[0][0] != "Table of contents":
            problem("Table_of_contents: A1 is not its title")
        toc = skip_to_header(toc, ["Sheet name", "Sheet title"], toc_path) or []
        if [r[0] for r in toc] != ["Sheet name", "Cover_sheet", "Notes"] + [t.sheet for t in tables]:
            problem("Table_of_contents lists %r" % [r[0] for r in toc])
        cover = english_fields(read_csv(os.path.join(d, base + "-Cover_sheet.csv"), False))
        title = ret.get("site_name", ret["site"])
        if not cover or ret["quarter"] not in cover[0][0] or title not in cover[0][0]:
            problem("Cover_sheet: A1 does not name the site and quarter")
        # What the guidance asks a cover sheet to say, each under its heading.
        headings = [r[0] for r in cover or []]
        for h in ("What this workbook contains", "Period covered", "Data as at", "Producer",
                  "Contact", "Contents and notes"):
            if h not in headings or headings.index(h) + 1 >= len(headings) or \
                    not headings[headings.index(h) + 1]:
                problem("Cover_sheet: no %r with its text" % h)
        for t in tables:
            sheet = english_fields(read_csv(os.path.join(d, "%s-%s.csv" % (base, t.sheet)), False))
            if not sheet or not sheet[0][0] or sheet[0][:len(t.header)] == t.header or \
                    any(sheet[0][1:]):
                problem("%s: A1 is not a title alone: %r" % (t.sheet, sheet and sheet[0]))
    else:
        sys.exit("unknown mode " + mode)
    checked = sum(len(t.rows) for t in tables)
    for p in problems:
        print(p)
    if problems:
        sys.exit(1)
    print("%s: outputs agree with %s (%d rows of %d tables)" % (mode, ret_path, checked, len(tables)))


if __name__ == "__main__":
    main()
