"""What the gzip-writing vector generators share: the tables and codes of
deflate (RFC 1951). Standard library only.
"""

# 3.2.5: lengths 3..258 (symbols 257..285) and distances 1..32768
LENGTH_BASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35,
               43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258]
LENGTH_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3,
                4, 4, 4, 4, 5, 5, 5, 5, 0]
DIST_BASE = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193,
             257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193,
             12289, 16385, 24577]
DIST_EXTRA = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9,
              9, 10, 10, 11, 11, 12, 12, 13, 13]
# 3.2.7: the order of the code length code lengths
CL_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]


def length_symbol(length):
    """(symbol, extra bits, extra value) of a match length."""
    i = max(i for i in range(29) if LENGTH_BASE[i] <= length)
    return 257 + i, LENGTH_EXTRA[i], length - LENGTH_BASE[i]


def dist_symbol(dist):
    """(symbol, extra bits, extra value) of a distance."""
    i = max(i for i in range(30) if DIST_BASE[i] <= dist)
    return i, DIST_EXTRA[i], dist - DIST_BASE[i]


def canonical(lengths):
    """3.2.2: {symbol: (code, length)} for the code lengths by symbol."""
    codes, code = {}, 0
    for n in range(1, 16):
        for sym, length in enumerate(lengths):
            if length == n:
                codes[sym] = (code, n)
                code += 1
        code <<= 1
    return codes


def code_length_symbols(lengths):
    """3.2.7: code lengths as code length symbols (symbol, extra bits,
    extra value), runs as 16 (repeat), 17 and 18 (zeros)."""
    out, i = [], 0
    while i < len(lengths):
        value, run = lengths[i], 1
        while i + run < len(lengths) and lengths[i + run] == value:
            run += 1
        if value == 0 and run >= 11:
            run = min(run, 138)
            out.append((18, 7, run - 11))
        elif value == 0 and run >= 3:
            out.append((17, 3, run - 3))
        elif value and run >= 4:
            run = 1 + min(run - 1, 6)
            out += [(value, 0, 0), (16, 2, run - 4)]
        else:
            run = 1
            out.append((value, 0, 0))
        i += run
    return out
