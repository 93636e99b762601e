#!/usr/bin/env python3
"""Seed inputs for the canister harness (ref/fuzz/fuzz_canister.c).

One seed per module of MODULES-DIR (sorted by name, as the harness numbers
them): install it, call each of its first methods with a value near a
boundary, probe both memories, upgrade, call again, reinstall, uninstall.
The bytes follow the harness's decoder; the values come from a fixed
random seed, so the seeds are the same on every run.

    canister-seeds.py MODULES-DIR OUT-DIR
"""
import os
import random
import sys

INSTALL, REINSTALL, UPGRADE, UNINSTALL, CALL = 0, 1, 2, 3, 4
SETTINGS, STABLE_PROBE, HEAP_PROBE, SYSTEM_TASK = 12, 13, 14, 11


# take_value() in the harness: a byte b picks entry b % 28 of its table
# of 26 values near a boundary (28 + k: 8 raw bytes follow) and shifts it
# by b >> 5. The seeds use the table only, so that each byte stays where
# the decoder expects it.
NEAR = [b for b in range(256) if b % 28 < 26]


def argument(rng):
    # one to three values near a boundary, or no argument
    shape = rng.choice([0x00, 0x01, 0x04, 0x1d, 0x03])
    out = [shape]
    if shape & 3 == 3:
        return out + [0]
    for _ in range((shape & 3) + 1):
        out.append(rng.choice(NEAR))
    return out


def seed(index, nmodules, rng):
    lo, hi = index & 0xff, index >> 8
    b = [index % 6]                       # profile
    b += [INSTALL, lo, hi] + argument(rng)
    for pick in range(6):
        b += [CALL + rng.randrange(6), pick] + argument(rng)
    b += [STABLE_PROBE, rng.randrange(256), 0, 0, 0, 0, 8, 0]
    b += [HEAP_PROBE, rng.randrange(256), 0, 1, 0, 0, 8, 0]
    b += [SETTINGS, rng.randrange(3), rng.choice(NEAR), rng.choice(NEAR)]
    b += [SYSTEM_TASK, rng.randrange(3), 3, 0]
    b += [UPGRADE | 0x10, lo, hi, rng.randrange(6)] + argument(rng)
    for pick in range(3):
        b += [CALL + rng.randrange(6), pick] + argument(rng)
    other = rng.randrange(nmodules)
    b += [REINSTALL, other & 0xff, other >> 8] + argument(rng)
    b += [STABLE_PROBE, 1, 0, 0, 0, 0, 16, 0]
    b += [UNINSTALL, 3, 0]
    return bytes(b)


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    mods = sorted(f for f in os.listdir(sys.argv[1]) if f.endswith(".wasm"))
    os.makedirs(sys.argv[2], exist_ok=True)
    rng = random.Random(19)
    for i, name in enumerate(mods):
        with open(os.path.join(sys.argv[2], name[:-5] + ".seed"), "wb") as f:
            f.write(seed(i, len(mods), rng))


if __name__ == "__main__":
    main()
