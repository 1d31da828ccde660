"""Binding QEMU's vCPU threads to host PUs with hwloc: the spec is hwloc locations per vCPU
("pu:0,pu:1"), a placement name shared with the host ping-pong ("shared-l3", "cross-llc", ...), or
"auto": the closest pair of different PUs this machine has. Every binding is read back and recorded
as a vCPU -> PU map."""
import subprocess

from fpubench_cli import paths
from fpubench_cli.errors import MachineError, UserError


# Placement classes from the closest pair of different PUs to the farthest (bench/placement.h).
CROSS_PU_CLASSES = ["smt", "shared-l2", "shared-l3", "cross-llc", "cross-numa", "cross-package"]


def parse_placements(text):
    """{name: (first, second)} from `fpubench probe placements` output, closest first."""
    found = {}
    for line in text.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1] != "unavailable:":
            found[parts[0]] = (parts[1], parts[2])
    return found


def placements(binary=paths.BINARY):
    out = subprocess.run([str(binary), "probe", "placements"], capture_output=True, text=True)
    if out.returncode != 0:
        raise MachineError(f"build/host/fpubench probe placements failed: {out.stderr.strip()}")
    return parse_placements(out.stdout)


def auto_placement(known):
    """The closest class of two different PUs, or same-pu on a machine with one PU."""
    for name in CROSS_PU_CLASSES:
        if name in known:
            return name
    return "same-pu"


def locations_for(spec, vcpus, known):
    """The hwloc location for each vCPU index."""
    if spec == "auto":
        spec = auto_placement(known)
        first, second = known.get(spec, ("pu:0", "pu:0"))
        print(f"fpubench: vCPUs pinned alternately to {spec} PUs {first} and {second} "
              f"(--pin-vcpus to choose)", flush=True)
    if spec in known:
        first, second = known[spec]
        return [first if i % 2 == 0 else second for i in range(vcpus)]
    locations = [s for s in spec.split(",") if s]
    if len(locations) != vcpus:
        raise UserError(f"--pin-vcpus '{spec}' names {len(locations)} locations for {vcpus} vCPUs: give one "
                        f"hwloc location per vCPU (pu:0,pu:1) or a placement ({', '.join(sorted(known))})")
    for location in locations:  # before QEMU starts: hwloc-calc gives an empty set for what is not here
        out = subprocess.run(["hwloc-calc", location], capture_output=True, text=True)
        if out.returncode != 0 or out.stdout.strip() in ("", "0x0"):
            raise UserError(f"--pin-vcpus: '{location}' is no PU of this machine (hwloc-calc finds nothing there): "
                            f"name PUs that exist (hwloc-ls lists them) or a placement ({', '.join(sorted(known))})")
    return locations


def _hwloc(args):
    out = subprocess.run(args, capture_output=True, text=True)
    if out.returncode != 0:
        raise MachineError(f"'{' '.join(args)}' failed: {out.stderr.strip() or out.stdout.strip()}")
    return out.stdout.strip()


def bind_threads(thread_ids, locations):
    """Binds each thread and reads the binding back; returns [{vcpu, thread_id, location, cpuset}]."""
    pinned = []
    for vcpu, (tid, location) in enumerate(zip(thread_ids, locations)):
        _hwloc(["hwloc-bind", "--tid", str(tid), location])
        want = _hwloc(["hwloc-calc", location])
        got = _hwloc(["hwloc-bind", "--get", "--tid", str(tid)])
        if _hwloc(["hwloc-calc", got]) != want:
            raise MachineError(f"vCPU {vcpu} (thread {tid}) is bound to {got}, not {location} ({want})")
        pinned.append({"vcpu": vcpu, "thread_id": tid, "location": location, "cpuset": got})
    return pinned
