#!/usr/bin/env python3
"""The man page against the program, for tests/e2e/man_help.sh.

Usage: check_man_help.py NRMHUB MAN_PAGE

For every command and subcommand (each .SS of COMMANDS, and each that
`nrmhub --help` lists), the options the man page gives it (its .SS heading
and its .TP items) and those `nrmhub WORDS --help` prints (its option lines,
and its usage lines) must be the same set.  Subcommands that print one help
page (`cases show`, `cases erase`, `cases expire`) are compared as one.
Then each usage line that does not say [OPTION]... must name every option
of its command, and so must each SYNOPSIS entry that does not say
[option]...; neither may name one the command does not take.  A short
option is its long one where a line gives both ("-o, --output DIR").
Prints each problem on a line; exits 1 when there is any.
"""
import collections
import re
import subprocess
import sys

OPT = re.compile(r"(?<![\w-])(--[a-z][a-z0-9-]*|-[A-Za-z])(?![\w-])")
WORD = re.compile(r"[a-z]+(\|[a-z]+)*")
CONTINUED = re.compile(r"^\s+[\[(|]")   # a usage line's next line
USAGE = re.compile(r"^(Usage: |\s+)nrmhub (.*)")
SPLIT = re.compile(r"\s+\|\s+|,\s+(?=[a-z]+ )")  # "keys add ... | keys list"


def run(nrmhub, args):
    p = subprocess.run([nrmhub] + args, capture_output=True, text=True)
    return p.returncode, p.stdout


def plain(s):
    """roff text without font changes, with its hyphens."""
    return re.sub(r"\\f[BIRP]", "", s).replace("\\-", "-").replace("\\(dq", '"')


def command_words(text):
    """The commands a heading's or a usage line's words name ("deliver
    requeue|cancel ID" names two), and the rest of the text."""
    tokens = text.split(" ")
    words = []
    while tokens and WORD.fullmatch(tokens[0]):
        words.append(tokens.pop(0))
    if not words:
        return [], text
    return [tuple(words[:-1] + [w]) for w in words[-1].split("|")], " ".join(tokens)


def alternatives(heading):
    """{command words: the part of the heading about them}."""
    out = {}
    for alt in SPLIT.split(heading):
        for words in command_words(alt)[0]:
            out[words] = alt
    return out


def man_sections(lines):
    """The .SS entries of COMMANDS: heading (hyphens plain, fonts kept, so
    that an italic argument ends the command words) and .TP tags."""
    start = lines.index(".SH COMMANDS")
    end = next(i for i in range(start + 1, len(lines)) if lines[i].startswith(".SH "))
    sections = []
    for i in range(start + 1, end):
        if lines[i].startswith(".SS "):
            raw = lines[i][4:].strip('"').replace("\\-", "-")
            sections.append({"heading": raw, "tags": []})
        elif lines[i] == ".TP" and sections:
            macro_and_tag = plain(lines[i + 1]).split(None, 1)
            if len(macro_and_tag) == 2 and macro_and_tag[1].startswith("-"):
                sections[-1]["tags"].append(macro_and_tag[1])
    return sections


def synopses(lines):
    """The .SY "nrmhub WORDS" entries of SYNOPSIS: words and plain text."""
    start = lines.index(".SH SYNOPSIS")
    out, cur = [], None
    for line in lines[start + 1:]:
        if line.startswith(".SH "):
            break
        m = re.match(r'^\.SY "nrmhub (.*)"$', line)
        if m:
            cur = {"words": m.group(1).replace("\\-", "-"), "text": ""}
            out.append(cur)
        elif line.startswith(".YS"):
            cur = None
        elif cur is not None:
            cur["text"] += " " + plain(line)
    return out


def definition_lines(help_text):
    return [l for l in help_text.splitlines()
            if re.match(r"^\s+(-[A-Za-z], )?--?[A-Za-z]", l) and not USAGE.match(l)]


def aliases(lines):
    """{short: long} from the lines that give both."""
    out = {}
    for line in lines:
        found = OPT.findall(line)
        shorts = [o for o in found if not o.startswith("--")]
        longs = [o for o in found if o.startswith("--")]
        if len(shorts) == 1 and len(longs) == 1 and line.lstrip().startswith(shorts[0]):
            out[shorts[0]] = longs[0]
    return out


def canonical(opts, alias):
    return {alias.get(o, o) for o in opts}


def usage_entries(help_text):
    """{command words: its usage entry's text, continuation lines too}."""
    entries, cur = {}, None
    for line in help_text.splitlines():
        m = USAGE.match(line)
        if m:
            words, rest = command_words(m.group(2))
            cur = [rest]
            for w in words:
                entries[w] = cur
        elif cur is not None and CONTINUED.match(line):
            cur.append(line)
        else:
            cur = None
    return {w: " ".join(parts) for w, parts in entries.items()}


def help_options(help_text, words):
    """What a help page gives `words` (a list of command words): its option
    lines' options, and those of its usage entries for them."""
    opts = set()
    for line in definition_lines(help_text):
        m = re.match(r"^\s+((?:-[A-Za-z], )?--?[A-Za-z][a-z0-9-]*)", line)
        opts |= set(OPT.findall(m.group(1)))
    for w, entry in usage_entries(help_text).items():
        if w in words:
            opts |= set(OPT.findall(entry))
    return opts


def section_options(section, words):
    """The options a section gives `words`: its .TP items, or, when it is
    one section for several commands, its heading's part about them."""
    alts = alternatives(section["heading"])
    if len(alts) > 1:
        return set(OPT.findall(plain(alts[words])))
    return {o for t in section["tags"] for o in OPT.findall(t)}


class Check:
    def __init__(self, nrmhub, man):
        self.nrmhub = nrmhub
        self.lines = open(man, encoding="utf-8").read().split("\n")
        self.sections = man_sections(self.lines)
        self.problems = []
        self.helps = {}
        _, top = run(nrmhub, ["--help"])
        self.commands = {m.group(1) for m in re.finditer(r"(?m)^  ([a-z]+) ", top)} - {"help"}

    def help_of(self, words):
        if words not in self.helps:
            rc, out = run(self.nrmhub, list(words) + ["--help"])
            self.helps[words] = out if rc == 0 and out.startswith("Usage:") else None
            if self.helps[words] is None:
                self.problems.append("%s --help: exit %d, or no Usage" % (" ".join(words), rc))
        return self.helps[words]

    def each_command(self):
        """(section, command words) for every command the sections name."""
        for s in self.sections:
            for words in alternatives(s["heading"]):
                if words[0] != "help":
                    yield s, words

    def same_options(self):
        groups = collections.OrderedDict()
        for s, words in self.each_command():
            if words[0] not in self.commands:
                self.problems.append("nrmhub(1): %r names no command" % s["heading"])
                continue
            page = self.help_of(words)
            if page is None:
                continue
            g = groups.setdefault(page, {"words": [], "man": set(), "tags": []})
            g["words"].append(words)
            g["tags"] += s["tags"]
            g["man"] |= set(OPT.findall(plain(s["heading"])))
            g["man"] |= {o for t in s["tags"] for o in OPT.findall(t)}
        for page, g in groups.items():
            alias = aliases(g["tags"] + definition_lines(page))
            man = canonical(g["man"], alias)
            shown = canonical(help_options(page, g["words"]), alias)
            name = ", ".join(" ".join(w) for w in g["words"])
            for o in sorted(man - shown):
                self.problems.append("%s: %s is in nrmhub(1) but not in --help" % (name, o))
            for o in sorted(shown - man):
                self.problems.append("%s: %s is in --help but not in nrmhub(1)" % (name, o))
        named = {w[0] for _, w in self.each_command()}
        for c in sorted(self.commands - named):
            self.problems.append("nrmhub %s has no section in nrmhub(1)" % c)
        return len(groups)

    def complete_usage(self):
        for s, words in self.each_command():
            page = self.help_of(words) if words[0] in self.commands else None
            if page is None:
                continue
            entry = usage_entries(page).get(words)
            name = " ".join(words)
            if entry is None:
                self.problems.append("%s --help: no usage line for it" % name)
                continue
            if "OPTION" in entry:
                continue
            alias = aliases(s["tags"] + definition_lines(page))
            want = canonical(section_options(s, words), alias)
            for o in sorted(want - canonical(OPT.findall(entry), alias) - {"--help"}):
                self.problems.append("%s --help: its usage line lacks %s" % (name, o))

    def complete_synopsis(self):
        by_words = {w: s for s, w in self.each_command()}
        for syn in synopses(self.lines):
            for words in command_words(syn["words"])[0]:
                s, name = by_words.get(words), " ".join(words)
                page = self.help_of(words) if s else None
                if page is None:
                    self.problems.append("SYNOPSIS: nrmhub %s has no section under "
                                         "COMMANDS" % name)
                    continue
                alias = aliases(s["tags"] + definition_lines(page))
                listed = canonical(OPT.findall(syn["text"]), alias)
                for o in sorted(listed - canonical(help_options(page, [words]), alias)):
                    self.problems.append("SYNOPSIS: nrmhub %s: %s is not in its --help"
                                         % (name, o))
                if re.search(r"\[ ?option ?\]", syn["text"]):
                    continue  # "[option]...": the section lists them
                want = canonical(section_options(s, words), alias)
                for o in sorted(want - listed - {"--help"}):
                    self.problems.append("SYNOPSIS: nrmhub %s lacks %s" % (name, o))


def main():
    c = Check(*sys.argv[1:3])
    n = c.same_options()
    c.complete_usage()
    c.complete_synopsis()
    # A parser that found nothing would find no problem either.
    if n < 20 or len(c.sections) < 30:
        c.problems.append("only %d help pages and %d sections found" % (n, len(c.sections)))
    for p in c.problems:
        print(p)
    print("%d sections, %d help pages, %d problems" % (len(c.sections), n, len(c.problems)))
    sys.exit(1 if c.problems else 0)


if __name__ == "__main__":
    main()
