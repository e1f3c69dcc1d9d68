"""claimkit: drafts replies to customer complaints the way experienced handlers do."""

# Kept as a literal (and read by the build) so `--version` needs no importlib.metadata.
__version__ = "0.1.0"
