#!/usr/bin/env python3
"""Builds a hostile variant of a genuine nrmhub bag, for tests/e2e/bundle_hostile.sh.

Usage: hostile_bundle.py CASE BAG_DIR OUT

BAG_DIR is a genuine bag, extracted (its name is the bag's name); OUT is
the archive to write.  CASE names the one thing that is wrong with it (see
CASES below).  The return-* cases rebuild the manifests around a changed
return.json and print the new tag manifest's SHA-512.  Entries are written in sorted order, as nrmhub writes them,
so that the one fault is the only difference.
"""
import base64
import gzip
import hashlib
import io
import json
import os
import re
import sys
import tarfile

MTIME = 1743584400  # 2025-04-02T09:00:00Z


class Zeros(io.RawIOBase):
    """An endless source of zero bytes, without holding them in memory."""

    def readinto(self, b):
        n = len(b)
        b[:n] = bytes(n)
        return n


def genuine(bag_dir):
    """The bag's entries as (name, data-or-None-for-a-folder), sorted."""
    bag = os.path.basename(os.path.normpath(bag_dir))
    entries = [(bag + "/", None)]
    for root, dirs, files in os.walk(bag_dir):
        rel = os.path.relpath(root, bag_dir)
        prefix = bag + "/" + ("" if rel == "." else rel + "/")
        for d in dirs:
            entries.append((prefix + d + "/", None))
        for f in files:
            with open(os.path.join(root, f), "rb") as fh:
                entries.append((prefix + f, fh.read()))
    entries.sort(key=lambda e: e[0].encode())
    return bag, entries


def info(name, kind=tarfile.REGTYPE, size=0):
    ti = tarfile.TarInfo(name)
    ti.type = kind
    ti.size = size
    ti.mtime = MTIME
    ti.mode = 0o755 if kind == tarfile.DIRTYPE else 0o644
    ti.uname = ti.gname = "root"
    return ti


def add(tar, name, data):
    if data is None:
        tar.addfile(info(name.rstrip("/"), tarfile.DIRTYPE))
    else:
        tar.addfile(info(name, size=len(data)), io.BytesIO(data))


def special(tar, bag, case):
    """The one hostile entry each case adds, if it adds one."""
    if case == "traversal":
        add(tar, bag + "/../evil.txt", b"escaped\n")
    elif case == "absolute":
        add(tar, "/tmp/nrmhub-evil.txt", b"escaped\n")
    elif case == "backslash":
        add(tar, bag + "/data\\evil.csv", b"a\n")
    elif case == "outside":
        add(tar, "elsewhere/evil.csv", b"a\n")
    elif case == "symlink":
        ti = info(bag + "/data/link.csv", tarfile.SYMTYPE)
        ti.linkname = "/etc/passwd"
        tar.addfile(ti)
    elif case == "hardlink":
        ti = info(bag + "/data/hard.csv", tarfile.LNKTYPE)
        ti.linkname = bag + "/data/cases.csv"
        tar.addfile(ti)
    elif case == "device":
        ti = info(bag + "/data/dev", tarfile.CHRTYPE)
        ti.devmajor, ti.devminor = 1, 3
        tar.addfile(ti)
    elif case == "fifo":
        tar.addfile(info(bag + "/data/fifo", tarfile.FIFOTYPE))
    elif case == "sparse":
        # A PAX 1.0 sparse file: a map (one 512-byte region at offset 0)
        # then the region itself.
        ti = info(bag + "/data/GNUSparseFile.0/sparse.bin", size=1024)
        ti.pax_headers = {"GNU.sparse.major": "1", "GNU.sparse.minor": "0",
                          "GNU.sparse.name": bag + "/data/sparse.bin",
                          "GNU.sparse.realsize": "4096"}
        data = b"1\n0\n512\n".ljust(512, b"\0") + b"x" * 512
        tar.addfile(ti, io.BytesIO(data))
    elif case == "unlisted":
        add(tar, bag + "/data/extra.csv", b"not,in,the,manifest\n")
    elif case == "many":
        for i in range(10001):
            add(tar, bag + "/data/many-%05d.csv" % i, b"")
    elif case == "bomb":
        tar.addfile(info(bag + "/data/zeros.bin", size=64 << 20), Zeros())


# A minisign secret key's shape: "Ed", the KDF, the checksum, 158 bytes in all.
SECRET_KEY = (b"untrusted comment: minisign encrypted secret key\n" +
              base64.b64encode(b"EdScB2" + bytes(152)) + b"\n")


def payload_fault(bag, files, ret, case):
    """The payload-* cases: a file outside the return's set, a secret or a
    store (listed in return.json, which must not save it), a listed file
    missing."""
    data = bag + "/data/"
    listed = {
        "payload-store": ("nrmhub.db", b"SQLite format 3\0" + bytes(4080)),
        "payload-seckey": ("site.key", SECRET_KEY),
        "payload-pseudonym": ("birmingham.pseudonym.key", bytes(range(32))),
    }
    if case == "payload-stray":
        files[data + "cases.jsonl"] = b'{"case_id": "B-0001"}\n'
    elif case in listed:
        name, content = listed[case]
        files[data + name] = content
        ret["files"].append({"name": name, "role": "report"})
    elif case == "payload-missing":
        del files[data + "report.html"]
    elif case == "payload-table":
        # Referrals as return.json has them (12 in the bundle tests'), 999 in
        # the table.
        # (A return that records $.revision has a Status column after it.)
        files[data + "table_1.csv"] = re.sub(rb",Referrals,\d+(,[^,\r\n]*)?\r\n",
                                             rb",Referrals,999\1\r\n",
                                             files[data + "table_1.csv"], count=1)
    elif case == "payload-total":
        # A total its own breakdowns do not add up to (issue 13's 999).
        ret["referrals"]["total"] = 999
    elif case == "payload-sum":
        # One breakdown's part too many: by gender, 13 children of 12.
        ret["referrals"]["by_gender"]["male"] += 1
    elif case == "payload-pattern":
        # A published pattern naming a cell the return does not have.
        ret["disclosure"] = {"threshold": 4, "protection": 5,
                             "published_hidden": ["$.referrals.by_gender.nobody"]}
    elif case == "payload-header":
        files[data + "table_1.csv"] = re.sub(rb",Number(,Status)?\r\n", rb",Count\1\r\n",
                                             files[data + "table_1.csv"], count=1)
    elif case in ("payload-script", "payload-onload", "payload-jsurl"):
        inject = {"payload-script": b"<p>Figures</p><SCRIPT>alert(1)</SCRIPT>",
                  "payload-onload": b"<svg width=\"1\" onLoad=\"alert(1)\"></svg>",
                  "payload-jsurl": b"<a href=\" javascript:alert(1)\">more</a>"}[case]
        files[data + "report.html"] = files[data + "report.html"].replace(
            b"</body>", b"\n" + inject + b"\n</body>", 1)
    elif case == "payload-sdmx":
        files[data + "return.sdmx.csv"] = re.sub(
            rb"(REFERRALS,(?:_T,)+Q,\d{4}-Q\d,)(\d+),",
            lambda m: m.group(1) + b"%d," % (int(m.group(2)) + 1),
            files[data + "return.sdmx.csv"], count=1)


def rebag(bag, entries, case):
    """Rewrites data/return.json and then every manifest and the
    Payload-Oxum, so that the bag is internally consistent and only the
    return is wrong; returns the entries and the new tag manifest's
    SHA-512, which the signer must put in the trusted comment."""
    files = dict(entries)
    ret = json.loads(files[bag + "/data/return.json"])
    if case == "return-site":
        ret["site"] = "coventry"
    elif case == "return-organization":
        # bag-info.txt names another organisation than the return's site.
        ret["site_name"] = "Birmingham Children's Trust"
    elif case == "return-schema":
        ret["schema"] = "nrmhub-return/0"
    elif case == "return-broken":
        files[bag + "/data/return.json"] = b'{"schema": "nrmhub-return/1", "site": '
    elif case.startswith("payload-"):
        payload_fault(bag, files, ret, case)
    if case != "return-broken":
        files[bag + "/data/return.json"] = json.dumps(ret).encode()
    payload = sorted((n, d) for n, d in files.items()
                     if n.startswith(bag + "/data/") and d is not None)
    top = len(bag) + 1
    files[bag + "/manifest-sha512.txt"] = "".join(
        "%s  %s\n" % (hashlib.sha512(d).hexdigest(), n[top:]) for n, d in payload).encode()
    info = files[bag + "/bag-info.txt"].decode().splitlines()
    oxum = "Payload-Oxum: %d.%d" % (sum(len(d) for _, d in payload), len(payload))
    if case == "return-organization":
        info = ["Source-Organization: Coventry City Council" if line.startswith("Source-Organization:")
                else line for line in info]
    files[bag + "/bag-info.txt"] = "".join(
        (oxum if line.startswith("Payload-Oxum:") else line) + "\n" for line in info).encode()
    tags = ["bag-info.txt", "bagit.txt", "manifest-sha512.txt"]
    tagmanifest = "".join("%s  %s\n" % (hashlib.sha512(files[bag + "/" + t]).hexdigest(), t)
                          for t in tags).encode()
    files[bag + "/tagmanifest-sha512.txt"] = tagmanifest
    print(hashlib.sha512(tagmanifest).hexdigest())
    return sorted(files.items(), key=lambda e: e[0].encode())


def write_huge(fileobj, bag):
    """A header claiming 10 GiB, followed by far less: the verifier must
    refuse it from the header alone."""
    ti = info(bag + "/data/huge.bin", size=10 << 30)
    fileobj.write(ti.tobuf(tarfile.PAX_FORMAT))
    fileobj.write(bytes(512 * 4))


CASES = ["copy", "traversal", "absolute", "backslash", "outside", "symlink", "hardlink",
         "device", "fifo", "sparse", "duplicate", "huge", "bomb", "many", "unlisted", "missing",
         "altered", "plain-tar", "truncated", "return-site", "return-organization", "return-schema", "return-broken",
         "payload-stray", "payload-store", "payload-seckey", "payload-pseudonym",
         "payload-missing", "payload-table", "payload-total", "payload-sum",
         "payload-pattern", "payload-header", "payload-sdmx",
         "payload-script", "payload-onload", "payload-jsurl"]


def main():
    if len(sys.argv) != 4 or sys.argv[1] not in CASES:
        sys.exit("usage: hostile_bundle.py {%s} BAG_DIR OUT" % "|".join(CASES))
    case, bag_dir, out = sys.argv[1:]
    bag, entries = genuine(bag_dir)
    if case.startswith("return-") or case.startswith("payload-"):
        entries = rebag(bag, entries, case)
    raw = io.BytesIO()
    if case == "huge":
        write_huge(raw, bag)
    else:
        with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
            for name, data in entries:
                if case == "missing" and name == bag + "/data/cases.csv":
                    continue
                if case == "altered" and name == bag + "/data/cases.csv":
                    data = bytes([data[0] ^ 1]) + data[1:]
                add(tar, name, data)
                if case == "duplicate" and name == bag + "/data/cases.csv":
                    add(tar, name, data)
            special(tar, bag, case)
    body = raw.getvalue()
    if case == "plain-tar":
        packed = body
    else:
        packed = gzip.compress(body, compresslevel=9, mtime=0)
    if case == "truncated":
        packed = packed[: len(packed) // 2]
    with open(out, "wb") as fh:
        fh.write(packed)


if __name__ == "__main__":
    main()
