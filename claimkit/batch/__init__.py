"""Batch: many cases in, one draft or one reported failure out per case, in order."""
