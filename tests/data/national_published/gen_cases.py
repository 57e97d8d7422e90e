import json, random, sys
site, n, seed, la = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
r = random.Random(seed)
types = ["labour", "criminal", "sexual", "domestic"]
nats = ["GB", "AL", "VN", "ER"]
for i in range(n):
    ref = "2025-%02d-%02d" % (r.randint(1, 3), r.randint(1, 28))
    c = {"case_id": "%s-%d" % (site, i), "site": site, "referral_date": ref,
         "local_authority": la, "date_of_birth": "2010-0%d-1%d" % (r.randint(1, 9), r.randint(0, 9)),
         "gender": r.choice(["male", "female"]), "nationality": [r.choice(nats)],
         "exploitation_types": [r.choice(types)]}
    if r.random() < 0.7:
        c["decision_maker"] = "ddm_panel"
        c["rg_decision_date"] = ref[:8] + "28" if ref[8:] < "28" else ref
        c["rg_outcome"] = "positive" if r.random() < 0.8 else "negative"
    print(json.dumps(c))
