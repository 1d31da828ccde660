"""Aligned plain-text tables whose column widths come from the data, so two numbers never touch:
text columns left-aligned, number columns right-aligned, two spaces between columns."""


def _is_number(cell):
    text = str(cell).strip().lstrip("+-±[")
    return bool(text) and (text[0].isdigit() or text.startswith("."))


def render(head, rows, indent=""):
    cells = [[str(c) for c in row] for row in [head, *rows]]
    widths = [max(len(row[i]) for row in cells if i < len(row)) for i in range(len(head))]
    numeric = [all(_is_number(row[i]) or row[i] in ("-", "") for row in cells[1:] if i < len(row)) and i > 0
               for i in range(len(head))]
    def line(row):
        return indent + "  ".join(c.rjust(w) if num else c.ljust(w) for c, w, num in zip(row, widths, numeric)).rstrip()
    return "\n".join([line(cells[0]), indent + "  ".join("-" * w for w in widths)] + [line(r) for r in cells[1:]])
