#!/usr/bin/env python3
"""Writes a deterministic return folder of about SIZE bytes for bench/bundle:
return.json (the test fixture) and record-level CSVs whose rows look like
the real extract (keyed pseudonyms, dates, codes), drawn from a seeded
generator so that every run bundles the same bytes.

Usage: gen_payload.py FIXTURE_RETURN_JSON OUTDIR [SIZE]   (default 100000000)
"""
import os
import random
import shutil
import sys


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    fixture, out = sys.argv[1], sys.argv[2]
    size = int(sys.argv[3]) if len(sys.argv) == 4 else 100_000_000
    os.makedirs(out, exist_ok=True)
    shutil.copy(fixture, os.path.join(out, "return.json"))
    rng = random.Random(20250402)
    bands = ["0-11", "12-15", "16-17", "unknown"]
    genders = ["female", "male", "other", "unknown"]
    types = ["criminal", "sexual", "labour", "domestic", "criminal;sexual", ""]
    nations = ["GB", "VN", "AL", "ER", "SD", "IR", "AF", ""]
    # Four record-level tables, one large and three smaller (not named
    # cases.csv: the verifier reads that one whole, up to 64 MiB, for the
    # intake, while other payload files are only hashed).
    shares = [("records.csv", 0.7), ("records-2024.csv", 0.1), ("records-2023.csv", 0.1),
              ("records-2022.csv", 0.1)]
    header = "pseudonym,referral_date,age_band,gender,nationality,exploitation_types,rg_days,cg_days\n"
    for name, share in shares:
        want = int(size * share)
        with open(os.path.join(out, name), "w") as f:
            f.write(header)
            written = len(header)
            lines = []
            while written < want:
                line = "p-%016x,2025-%02d-%02d,%s,%s,%s,%s,%d,%d\n" % (
                    rng.getrandbits(64), rng.randint(1, 12), rng.randint(1, 28),
                    rng.choice(bands), rng.choice(genders), rng.choice(nations),
                    rng.choice(types), rng.randint(0, 400), rng.randint(0, 900))
                lines.append(line)
                written += len(line)
                if len(lines) == 10000:
                    f.write("".join(lines))
                    lines = []
            f.write("".join(lines))


if __name__ == "__main__":
    main()
