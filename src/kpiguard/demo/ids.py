"""Identifiers that look like each platform's own, unique by construction (no lookup sets).

Each id is built from a per-store sequence number scrambled by a bijection (multiplying by a prime
modulo a power of ten), so ten million orders need no memory to stay unique and still look random.
"""

from __future__ import annotations

import random
from datetime import datetime

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
FIRST = ("ana", "ben", "chloe", "david", "emma", "felix", "grace", "hana", "ivan", "jun", "kate",
         "liam", "maria", "noah", "olivia", "paul", "quinn", "rosa", "sam", "tina", "uma", "vic",
         "wei", "xin", "yuki", "zoe")
LAST = ("smith", "garcia", "lee", "mueller", "santos", "tanaka", "nguyen", "brown", "wang", "cruz",
        "schmidt", "reyes", "kim", "jones", "sato", "weber")
POSTAL_PREFIX = {"US": ("100", "112", "606", "787", "900", "941", "981", "303", "021", "331"),
                 "DE": ("101", "203", "504", "603", "701", "803", "901"),
                 "PH": ("10", "11", "16", "17", "40", "60"),
                 "JP": ("100", "150", "160", "530", "460", "810", "060")}


def below(rng: random.Random, n: int, start: int = 0) -> int:
    """A uniform integer in [start, n): ``randrange`` costs five times as much, and the demo draws
    a dozen per order."""
    return start + int(rng.random() * (n - start))


def _scramble(seq: int, digits: int) -> int:
    """A bijection on [0, 10**digits): 7919 is prime and shares no factor with 10."""
    return (seq * 7919 + 104729) % 10**digits


class IdMaker:
    def __init__(self, platform: str, marketplace: str, rng: random.Random) -> None:
        self.platform = platform
        self.marketplace = marketplace
        self.rng = rng
        self.seq = 0
        self.refunds = 0
        self.prefix = {"US": 111, "DE": 302, "JP": 249}.get(marketplace, 171)

    def order(self, at: datetime) -> str:
        self.seq += 1
        n = self.seq
        if self.platform in ("amazon", "erp"):  # 113-4827710-3301928
            return f"{self.prefix + n % 4}-{_scramble(n, 7):07d}-{below(self.rng, 10**7):07d}"
        if self.platform == "shopify":  # #1042
            return f"#{1000 + n}"
        if self.platform == "tiktok_shop":  # 18 digits, read as text
            return str(576000000000000000 + n * 7919 + below(self.rng, 7919))
        # Shopee: yymmdd + 8 characters, e.g. 260304ABCD12EF
        code = _scramble(n, 12)
        chars = "".join(ALPHABET[(code // 36**i) % 36] for i in range(8))
        return f"{at:%y%m%d}{chars}"

    def order_item(self, line_no: int) -> str:
        return f"{_scramble(self.seq, 11):011d}{line_no:03d}"

    def refund(self) -> str:
        self.refunds += 1
        return f"RF{self.marketplace}{_scramble(self.refunds, 9):09d}"

    def buyer(self) -> str:
        """A new buyer's handle, from one random draw split into its parts (name, number)."""
        n = int(self.rng.random() * 10**12)
        if self.platform == "tiktok_shop":
            return f"user{10**6 + n % 10**10}"
        if self.platform in ("amazon", "erp"):  # Amazon relays mail through an anonymised address
            return f"{n:012x}@marketplace.amazon.com"
        n, first = divmod(n, len(FIRST))
        n, last = divmod(n, len(LAST))
        if self.platform == "shopify":
            return f"{FIRST[first]}.{LAST[last]}{10 + n % 990}@example.net"
        return f"{FIRST[first]}{LAST[last][:3]}{10 + n % 9990}"

    def postal(self) -> str:
        n = int(self.rng.random() * 10**9)
        prefixes = POSTAL_PREFIX.get(self.marketplace, ("100",))
        n, pick = divmod(n, len(prefixes))
        if self.marketplace == "JP":
            return f"{prefixes[pick]}-{n % 10**4:04d}"
        return f"{prefixes[pick]}{n % 100:02d}"
