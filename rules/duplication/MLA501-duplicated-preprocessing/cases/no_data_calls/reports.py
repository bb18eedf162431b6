"""Repeated code that calls no data-transformation API is not preprocessing (other tools report it)."""


def header_a(title, author):
    lines = []
    lines.append("=" * 40)
    lines.append(title.upper())
    lines.append(f"by {author}")
    lines.append("=" * 40)
    text = "\n".join(lines)
    return text


def header_b(name, owner):
    rows = []
    rows.append("=" * 40)
    rows.append(name.upper())
    rows.append(f"by {owner}")
    rows.append("=" * 40)
    out = "\n".join(rows)
    return out
