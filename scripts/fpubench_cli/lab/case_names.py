"""Reading a lab's test names back. The binary names every row's figure from the row's fields
(host/plan/suite_plan.h) and writes the name into each result entry ("lab"):

    fpubench.<suite>.<mechanism>[.at-<placement>][.fpu-<state>][.peer-<partner_state>]
            [.condition-<condition>][.check-<selfcheck variant>][.cost].<figure>

Here: the fields of such a name, and the names of what has no row (a skip pattern, a torture
scenario, a self-check), made as the binary makes a skip's (lab_skip_name)."""
import re

PREFIX = "fpubench"
MAX_LENGTH = 100  # LAVA's limit for a test case name
COST = "cost"  # the row's xstate cost (its cost_figure)
_VALID = re.compile(r"^[a-z0-9_-]+(\.[a-z0-9_-]+)*$")
_TAGS = {"at": "placement", "fpu": "state", "peer": "partner_state", "condition": "condition",
         "check": "selfcheck"}
_UNIT_OF_FIGURE = [(re.compile(r"(^|_)ns(_|$)"), "ns"), (re.compile(r"(^|_)ticks(_|$)"), "ticks")]


def valid(name):
    """A name LAVA, LKP and KCIDB all take: dot-separated [a-z0-9_-], at most 100 characters."""
    return len(name) <= MAX_LENGTH and bool(_VALID.match(name))


def name_of(kind, text):
    """fpubench.<kind>.<text's '/'-separated parts>, '*' read as "any", other characters as '_'."""
    parts = [re.sub(r"[^a-z0-9_-]", "_", p.replace("*", "any").lower()) for p in text.split("/") if p]
    return ".".join([PREFIX, kind, *parts])[:MAX_LENGTH]


def fields_of(name):
    """(fields, figure, cost) of a row's lab name; None for any other name."""
    parts = name.split(".")
    if len(parts) < 4 or parts[0] != PREFIX or parts[1] in ("skipped", "torture", "selfcheck"):
        return None
    fields = {"suite": parts[1], "mechanism": "" if parts[2] == "none" else parts[2]}
    rest, figure = parts[3:-1], parts[-1]
    cost = bool(rest) and rest[-1] == COST
    for part in rest[:-1] if cost else rest:
        tag, _, value = part.partition("-")
        if tag not in _TAGS or not value or _TAGS[tag] in fields:
            return None
        fields[_TAGS[tag]] = value
    return fields, figure, cost


def unit_of_figure(figure):
    """The unit a figure's name carries (rtt_p50_ns, ns_per_op: ns; ticks_per_insn: ticks); "" if none."""
    for pattern, unit in _UNIT_OF_FIGURE:
        if pattern.search(figure):
            return unit
    return ""
