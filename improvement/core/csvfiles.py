"""CSV: cells a spreadsheet will not run as formulas (the one rule for every export), and what a CSV reader's error
means, in words (the one wording for every import)."""

import csv

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """Text starting with = + - @ (or a tab or return) gets a leading '; numbers and everything else stay as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def reader_error(error):
    """A csv.Error as a person can act on it."""
    if "field larger than field limit" in str(error):
        return f"a cell is longer than {csv.field_size_limit():,} characters, far more than any value needs"
    return str(error)
