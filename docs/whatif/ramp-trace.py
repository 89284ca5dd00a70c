#!/usr/bin/env python3
"""Writes a generated access trace whose bursts build up over hours, to measure predictive pre-copy with
`tierflow whatif` (docs/whatif.md, "Predictive pre-copy"). CSV: time (seconds), key, size (bytes), op.

Each object is read now and then (about once a day) and has one to three bursts at random times over 30 days: a burst
doubles its hourly reads from 2 to 32, holds two hours and halves back; three bursts in ten stop after three hours
(2, 4, 8), a forecast that does not come true. Usage: ramp-trace.py [objects] [seed] > ramp.csv"""
import random
import sys

objects = int(sys.argv[1]) if len(sys.argv) > 1 else 300
rng = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 1)
DAY, HOUR = 86400, 3600
span = 30 * DAY
rows = []
for o in range(objects):
    key = f"obj-{o:04d}"
    size = rng.choice([10, 50, 200]) * 1_000_000
    t = rng.expovariate(1 / DAY)
    while t < span:
        rows.append((t, key, size))
        t += rng.expovariate(1 / DAY)
    for _ in range(rng.randint(1, 3)):
        start = rng.uniform(0, span - 2 * DAY)
        false_start = rng.random() < 0.3
        hours = [2, 4, 8] if false_start else [2, 4, 8, 16, 32, 32, 32, 16, 8, 4, 2]
        for h, count in enumerate(hours):
            for _ in range(count):
                rows.append((start + h * HOUR + rng.uniform(0, HOUR), key, size))
rows.sort()
print("time,key,size,op")
for t, key, size in rows:
    print(f"{t:.3f},{key},{size},GET")
