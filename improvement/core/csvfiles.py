"""CSV cells a spreadsheet will not run as formulas: the one rule for every export."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """Text starting with = + - @ (or a tab or return) gets a leading '; numbers and everything else stay as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
