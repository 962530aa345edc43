"""Matchmaking rules, each a named function so that a maintainer changes one without hunting.

A need is matched with open supply posts of the same chain and the same category (compared after
normalising width, spaces and case) whose period overlaps the need's, from another enterprise:
- products flow downstream: a product supply must sit at the need's step or upstream of it;
  a service (logistics, testing, training…) may come from any step;
- candidates are ranked nearest first (great-circle distance between the two enterprises), then by
  how close the steps are (the directly feeding step first), then by the earlier post.
"""
import math
from dataclasses import dataclass
from datetime import date

from sanxin.core.validators import normalize_text

EARTH_RADIUS_KM = 6371.0088


def haversine_km(lat1: float | None, lng1: float | None, lat2: float | None,
                 lng2: float | None) -> float | None:
    """Great-circle distance in km; None when either side has no coordinates."""
    if None in (lat1, lng1, lat2, lng2):
        return None
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlmb = phi2 - phi1, math.radians(lng2 - lng1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def normalize_category(value: str) -> str:
    return normalize_text(value).casefold()


def link_fits(offer: str, supply_position: int, need_position: int) -> bool:
    """Products flow downstream; services serve every step."""
    return offer == "service" or supply_position <= need_position


def periods_overlap(start_a: date, end_a: date, start_b: date, end_b: date) -> bool:
    return start_a <= end_b and start_b <= end_a


@dataclass(frozen=True)
class RankKey:
    distance_km: float | None
    step_gap: int
    post_id: int

    def sort_key(self) -> tuple:
        unknown = self.distance_km is None  # enterprises without coordinates come last
        return (unknown, self.distance_km or 0.0, self.step_gap, self.post_id)
