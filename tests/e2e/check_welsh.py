#!/usr/bin/env python3
"""Checks that a rendered return speaks the language of its site.

    check_welsh.py welsh DIR     a Welsh site's return (DIR/return.json and its
                                 outputs): Welsh and English in return.ods,
                                 report.html and csv-metadata.json, Welsh first,
                                 each part marked with its language
    check_welsh.py english DIR   any other site's: English only, nothing marked

What must be Welsh is spelt out here, apart from the C code: every sheet's
title, every line above a table, every header, every label but a
nationality's (the Home Office's), every note and every cover-sheet heading
and text but the site's code; in the page every heading, caption, column
title, label, note and chart text.  Prints one line per problem and exits 1
if there is any.
"""
import html.parser
import json
import os
import sys
import xml.etree.ElementTree as ET
import zipfile

NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "fo": "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0",
    "dc": "http://purl.org/dc/elements/1.1/",
}

# A few words each output must hold in Welsh (labels.c and
# labels_return.c), so that a Welsh part of the wrong language is caught.
WELSH_WORDS = ["Rhywedd", "Benyw", "Troseddol", "Atgyfeiriadau yn ôl rhywedd [nodyn 1]",
               "Cyfanswm", "Sail resymol", "Nodiadau"]

problems = []


def problem(msg):
    problems.append(msg)


def q(prefix, name):
    return "{%s}%s" % (NS[prefix], name)


def read_ods(d):
    z = zipfile.ZipFile(os.path.join(d, "return.ods"))
    return {p: ET.fromstring(z.read(p)) for p in ("content.xml", "styles.xml", "meta.xml")}


def text_languages(content):
    """Text style name -> its language ("cy-GB"), from content.xml."""
    langs = {}
    for s in content.iter(q("style", "style")):
        props = s.find("style:text-properties", NS)
        if s.get(q("style", "family")) == "text" and props is not None:
            lang = props.get(q("fo", "language"))
            country = props.get(q("fo", "country"))
            if lang:
                langs[s.get(q("style", "name"))] = "%s-%s" % (lang, country)
    return langs


def cell_parts(cell, langs):
    """A cell's paragraphs as (language, text): the language of the span
    that holds the paragraph's text, or None when it has none."""
    parts = []
    for p in cell.findall("text:p", NS):
        spans = p.findall("text:span", NS)
        lang = langs.get(spans[0].get(q("text", "style-name"))) if len(spans) == 1 else None
        parts.append((lang, "".join(p.itertext())))
    return parts


def check_bilingual_cell(where, cell, langs):
    parts = cell_parts(cell, langs)
    if [lang for lang, _ in parts] != ["cy-GB", "en-GB"]:
        problem("%s: %r is not Welsh then English (languages %r)" % (
            where, [t for _, t in parts], [lang for lang, _ in parts]))
    elif parts[0][1] == parts[1][1]:
        problem("%s: the Welsh %r is the English" % (where, parts[0][1]))


def sheet_rows(sheet):
    return [r.findall("table:table-cell", NS) for r in sheet.findall(".//table:table-row", NS)]


def check_table_sheet(name, rows, langs):
    """A1, the lines above the header, the header and each label are
    bilingual; the header is the first row whose cells are all bold
    headers (ceHeader).  Returns the rows below the header."""
    header = next(i for i, r in enumerate(rows)
                  if r and all(c.get(q("table", "style-name")) == "ceHeader" for c in r))
    for i in range(header):
        check_bilingual_cell("%s row %d" % (name, i + 1), rows[i][0], langs)
    titles = [cell_parts(c, langs)[-1][1] for c in rows[header]]
    for c, cell in enumerate(rows[header]):
        check_bilingual_cell("%s header %d" % (name, c + 1), cell, langs)
    # The label column: the one after a code column, whose header ends "code"
    # in English ("Gender code", then "Gender").
    label_cols = [c + 1 for c, t in enumerate(titles) if t.endswith(" code")]
    for r, row in enumerate(rows[header + 1:], start=header + 2):
        code = "".join(row[2].itertext()) if len(row) > 2 else ""
        for c in label_cols:
            # A nationality's label is the Home Office's, in English only.
            if name == "Table_6" and code not in ("unknown", "total"):
                if [lang for lang, _ in cell_parts(row[c], langs)] != [None]:
                    problem("%s row %d: a nationality's label is not English alone" % (name, r))
                continue
            check_bilingual_cell("%s row %d label" % (name, r), row[c], langs)
    return rows[header + 1:]


def check_cover(rows, langs, site):
    """A1, then each heading over its text, all bilingual but the site's
    name or code (a name, in no language)."""
    check_bilingual_cell("Cover_sheet A1", rows[0][0], langs)
    if len(rows) < 17 or len(rows) % 2 == 0:
        problem("Cover_sheet: %d rows, not a title and headings over texts" % len(rows))
        return
    for i in range(1, len(rows), 2):
        heading, text = rows[i][0], rows[i + 1][0]
        check_bilingual_cell("Cover_sheet row %d" % (i + 1), heading, langs)
        if cell_parts(heading, langs)[-1][1] == "Site":
            if cell_parts(text, langs) != [(None, site)]:
                problem("Cover_sheet: the site is %r" % cell_parts(text, langs))
        else:
            check_bilingual_cell("Cover_sheet row %d" % (i + 2), text, langs)


def check_ods_welsh(d, site):
    parts = read_ods(d)
    content = parts["content.xml"]
    langs = text_languages(content)
    if sorted(langs.values()) != ["cy-GB", "en-GB"]:
        problem("content.xml: text styles of languages %r, not cy-GB and en-GB" % langs)
    sheets = {s.get(q("table", "name")): s for s in content.iter(q("table", "table"))}
    check_cover(sheet_rows(sheets["Cover_sheet"]), langs, site)
    for r, row in enumerate(check_table_sheet("Table_of_contents",
                                              sheet_rows(sheets["Table_of_contents"]), langs)):
        check_bilingual_cell("Table_of_contents row %d title" % (r + 1), row[1], langs)
    for r, row in enumerate(check_table_sheet("Notes", sheet_rows(sheets["Notes"]), langs)):
        check_bilingual_cell("Notes row %d number" % (r + 1), row[0], langs)
        check_bilingual_cell("Notes row %d text" % (r + 1), row[1], langs)
    for name, sheet in sheets.items():
        if name.startswith("Table_") and name != "Table_of_contents":
            check_table_sheet(name, sheet_rows(sheet), langs)
    words = " ".join("".join(p.itertext()) for p in content.iter(q("text", "p")))
    for w in WELSH_WORDS:
        if w not in words:
            problem("content.xml: no %r" % w)
    if [e.text for e in parts["meta.xml"].iter(q("dc", "language"))] != ["cy-GB", "en-GB"]:
        problem("meta.xml: dc:language is not cy-GB then en-GB")


def check_ods_english(d):
    parts = read_ods(d)
    content = parts["content.xml"]
    if text_languages(content) or list(content.iter(q("text", "span"))):
        problem("content.xml: an English site's workbook has language spans")
    if any(p.get(q("fo", "language")) for root in parts.values() for p in root.iter()):
        problem("an English site's workbook names a language in a style")
    words = " ".join("".join(p.itertext()) for p in content.iter(q("text", "p")))
    for w in WELSH_WORDS:
        if w in words:
            problem("content.xml: an English site's workbook has %r" % w)
    if [e.text for e in parts["meta.xml"].iter(q("dc", "language"))] != ["en-GB"]:
        problem("meta.xml: dc:language is not en-GB alone")


class Page(html.parser.HTMLParser):
    """Every element with its attributes, its parent's index and its text,
    in document order."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements = []
        self.stack = []

    def handle_starttag(self, tag, attrs):
        parent = self.stack[-1] if self.stack else None
        self.elements.append({"tag": tag, "attrs": dict(attrs), "parent": parent, "text": ""})
        if tag not in ("meta", "br"):  # the page's only void elements
            self.stack.append(len(self.elements) - 1)

    def handle_startendtag(self, tag, attrs):
        parent = self.stack[-1] if self.stack else None
        self.elements.append({"tag": tag, "attrs": dict(attrs), "parent": parent, "text": ""})

    def handle_endtag(self, tag):
        while self.stack:
            if self.elements[self.stack.pop()]["tag"] == tag:
                break

    def handle_data(self, data):
        for i in self.stack:
            self.elements[i]["text"] += data


def lang_children(page, index):
    """The languages of an element's children that carry one, in order."""
    return [e["attrs"].get("lang") for e in page.elements
            if e["parent"] == index and e["attrs"].get("lang")]


def ancestor(page, index, tag):
    """The id of the nearest enclosing `tag` of element `index`."""
    while index is not None and page.elements[index]["tag"] != tag:
        index = page.elements[index]["parent"]
    return page.elements[index]["attrs"].get("id") if index is not None else None


def check_html_welsh(d):
    page = Page()
    with open(os.path.join(d, "report.html"), encoding="utf-8") as f:
        page.feed(f.read())
    html_el = next(e for e in page.elements if e["tag"] == "html")
    if html_el["attrs"].get("lang") != "cy":
        problem("report.html: <html lang=%r>, not cy" % html_el["attrs"].get("lang"))
    # Each text for people holds its Welsh, then its English.
    for i, e in enumerate(page.elements):
        tag = e["tag"]
        if tag in ("h1", "h2", "caption", "dt", "figcaption") or \
                tag == "th" and e["attrs"].get("scope") == "col":
            if lang_children(page, i) != ["cy", "en-GB"]:
                problem("report.html: <%s> %r is not Welsh then English (%r)" % (
                    tag, e["text"][:60], lang_children(page, i)))
        if tag == "dd" and page.elements[e["parent"]]["tag"] == "dl" and \
                page.elements[e["parent"]]["attrs"].get("class") != "meta":
            if lang_children(page, i) != ["cy", "en-GB"]:
                problem("report.html: note %r is not Welsh then English" % e["text"][:60])
    # A row's label: Welsh then English, but a nationality's, English alone
    # (the Home Office's), and a quarter's (a year), none.
    for i, e in enumerate(page.elements):
        if e["tag"] == "th" and e["attrs"].get("scope") == "row":
            table = ancestor(page, i, "table")
            langs = lang_children(page, i)
            if langs not in (["cy", "en-GB"], []) and \
                    not (langs == ["en-GB"] and table == "Table_6"):
                problem("report.html: %s's row %r is in %r" % (table, e["text"][:40], langs))
    # A chart's visible title and axis labels, Welsh then English.
    for i, e in enumerate(page.elements):
        if e["tag"] == "text" and e["attrs"].get("class") in ("ctitle", "alabel"):
            if lang_children(page, i) != ["cy", "en-GB"]:
                problem("report.html: chart text %r is not Welsh then English" % e["text"][:60])
    # Each chart's title and text alternative, Welsh first.
    for i, e in enumerate(page.elements):
        if e["tag"] != "svg":
            continue
        titles = [c["attrs"].get("lang") for c in page.elements
                  if c["parent"] == i and c["tag"] in ("title", "desc")]
        if titles != ["cy", "en-GB", "cy", "en-GB"]:
            problem("report.html: %s's title and desc are in %r" % (e["attrs"]["id"], titles))
        labelled = e["attrs"].get("aria-labelledby", "").split()
        if not labelled or not labelled[0].endswith("-cy"):
            problem("report.html: %s is labelled by %r, not Welsh first" % (
                e["attrs"]["id"], labelled))
    text = "".join(e["text"] for e in page.elements if e["tag"] == "body")
    for w in WELSH_WORDS:
        if w not in text:
            problem("report.html: no %r" % w)


def check_html_english(d):
    with open(os.path.join(d, "report.html"), encoding="utf-8") as f:
        text = f.read()
    if '<html lang="en-GB">' not in text:
        problem("report.html: an English site's page is not lang en-GB")
    if 'lang="cy"' in text:
        problem("report.html: an English site's page has Welsh parts")
    for w in WELSH_WORDS:
        if w in text:
            problem("report.html: an English site's page has %r" % w)


def titles_of(meta):
    """Every title in csv-metadata.json: the document's, each table's, each
    column's but those of cases.csv and the SDMX-CSV file, whose columns
    are named by their machine names (their header)."""
    yield meta["dc:title"]
    for t in meta["tables"]:
        yield t["dc:title"]
        if t["url"] not in ("cases.csv", "return.sdmx.csv"):
            for c in t["tableSchema"]["columns"]:
                yield c["titles"]


def check_csvw(d, welsh):
    with open(os.path.join(d, "csv-metadata.json"), encoding="utf-8") as f:
        meta = json.load(f)
    for title in titles_of(meta):
        if not welsh:
            if not isinstance(title, str):
                problem("csv-metadata.json: an English site's title %r is not a string" % title)
        elif isinstance(title, dict):
            if sorted(title) != ["cy", "en-GB"] or title["cy"] == title["en-GB"]:
                problem("csv-metadata.json: titles %r are not Welsh and English" % title)
        elif not isinstance(title, list) or [v.get("@language") for v in title] != \
                ["cy", "en-GB"] or title[0]["@value"] == title[1]["@value"]:
            problem("csv-metadata.json: dc:title %r is not Welsh, then English" % title)


def main():
    mode, d = sys.argv[1:3]
    with open(os.path.join(d, "return.json"), encoding="utf-8") as f:
        ret = json.load(f)
    site = ret.get("site_name", ret["site"])  # the cover's Site: its name, else its code
    if mode == "welsh":
        check_ods_welsh(d, site)
        check_html_welsh(d)
        check_csvw(d, True)
    elif mode == "english":
        check_ods_english(d)
        check_html_english(d)
        check_csvw(d, False)
    else:
        sys.exit("unknown mode " + mode)
    for p in problems:
        print(p)
    if problems:
        sys.exit(1)
    print("%s: %s speaks %s" % (mode, d, "Welsh and English" if mode == "welsh" else "English"))


if __name__ == "__main__":
    main()
