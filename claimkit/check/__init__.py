"""claimkit check: a linter for complaint replies, with its rules kept as data."""

from claimkit.check.engine import Context, Finding, check
from claimkit.check.loading import load_rules

__all__ = ["Context", "Finding", "check", "load_rules"]
