"""Counts said in English: "1 point", "26 coaching surgeries", "2 awards or prizes"."""

IRREGULAR = {"person": "people", "child": "children", "staff": "staff", "analysis": "analyses"}


def plural(noun):
    """The plural of a noun or noun phrase (its last word; each side of an "or")."""
    if " or " in noun:
        return " or ".join(plural(part) for part in noun.split(" or "))
    head, _, last = noun.rpartition(" ")
    lower = last.lower()
    if lower in IRREGULAR:
        word = IRREGULAR[lower] if last.islower() else IRREGULAR[lower].capitalize()
    elif lower.endswith("y") and len(lower) > 1 and lower[-2] not in "aeiou":
        word = last[:-1] + "ies"
    elif lower.endswith(("s", "x", "z", "ch", "sh")):
        word = last + "es"
    else:
        word = last + "s"
    return f"{head} {word}" if head else word


def counted(count, noun):
    """"1 surgery", "2 surgeries", "1,250 attendances"."""
    return f"{count:,} {noun if count == 1 else plural(noun)}"
