#!/usr/bin/env python3
"""Checks the return sites of a traced kernel built with FGRAPH=rethook (mk/flags.mk):
every address in __return_loc holds the 5-byte NOP followed by `ret`, and no function
symbol starts between it and the nearest entry site (__mcount_loc) below it, which is what
trace/patch.c assumes when it patches a function's returns with its entry. Prints one
`ok -` or `not ok -` line; exit status 0 or 1.
    return_sites.py glass.elf"""
import bisect
import struct
import subprocess
import sys

NOP5 = bytes([0x0F, 0x1F, 0x44, 0x00, 0x00])
RET = 0xC3
NAME = "every return site is a NOP before ret, in its entry's function"


def sections(elf):
    """name -> (address, file offset, size) from objdump -h."""
    out = subprocess.run(["objdump", "-h", elf], capture_output=True, text=True, check=True)
    found = {}
    for line in out.stdout.splitlines():
        f = line.split()
        if len(f) >= 7 and f[0].isdigit():
            found[f[1]] = (int(f[3], 16), int(f[5], 16), int(f[2], 16))
    return found


def main():
    elf = sys.argv[1]
    data = open(elf, "rb").read()
    secs = sections(elf)
    for need in (".text", "__mcount_loc", "__return_loc"):
        if need not in secs or not secs[need][2]:
            print(f"not ok - {NAME}: no {need} section in {elf}")
            return 1

    def words(name):
        _, off, size = secs[name]
        return struct.unpack(f"<{size // 8}Q", data[off:off + size])

    text_addr, text_off, text_size = secs[".text"]

    def code(addr, n):
        return data[text_off + addr - text_addr:text_off + addr - text_addr + n]

    entries = sorted(words("__mcount_loc"))
    rets = words("__return_loc")
    nm = subprocess.run(["nm", "-n", elf], capture_output=True, text=True, check=True)
    syms = sorted((int(f[0], 16), f[2]) for f in (l.split() for l in nm.stdout.splitlines())
                  if len(f) == 3 and f[1] in "tTW")
    starts = [a for a, _ in syms]

    def symbol(addr):
        i = bisect.bisect_right(starts, addr) - 1
        return syms[i] if i >= 0 else (0, "?")

    bad = []
    for site in rets:
        if not text_addr <= site < text_addr + text_size - 5:
            bad.append(f"{site:#x} outside .text")
            continue
        if code(site, 5) != NOP5 or code(site + 5, 1)[0] != RET:
            bad.append(f"{site:#x} ({symbol(site)[1]}) is not a NOP before ret")
            continue
        i = bisect.bisect_right(entries, site)
        owner = entries[i - 1] if i else None
        # No function starts between the entry and the site. (The entry need not be a
        # symbol's start: a weak default overridden at link time keeps its code, nameless.)
        start, name = symbol(site)
        if owner is None or start > owner:
            bad.append(f"{site:#x} in {name}, nearest entry below it {owner and hex(owner)}")
    if bad:
        print(f"not ok - {NAME}: {len(bad)} of {len(rets)}: " + "; ".join(bad[:5]))
        return 1
    print(f"ok - {NAME} ({len(rets)} return sites, {len(entries)} entries)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
