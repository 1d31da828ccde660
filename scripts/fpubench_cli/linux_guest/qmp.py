"""A minimal QMP client (QEMU's JSON control protocol over a UNIX socket): the capabilities
handshake and commands. Debian 12 packages no Python QMP library, so these few lines stand in."""
import json
import socket
import time

from fpubench_cli.errors import MachineError


class Qmp:
    def __init__(self, path, timeout=30.0):
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                self.sock.connect(str(path))
                break
            except (FileNotFoundError, ConnectionRefusedError):
                self.sock.close()
                if time.monotonic() > deadline:
                    raise MachineError(f"QEMU's QMP socket {path} did not come up within {timeout:.0f} s") from None
                time.sleep(0.05)
        self.sock.settimeout(timeout)
        self.reader = self.sock.makefile("r")
        self._read()  # the greeting
        self.command("qmp_capabilities")

    def _read(self):
        while True:
            line = self.reader.readline()
            if not line:
                raise MachineError("QEMU closed its QMP socket")
            msg = json.loads(line)
            if "event" not in msg:  # events are not answers
                return msg

    def command(self, name, **arguments):
        self.sock.sendall(json.dumps({"execute": name, "arguments": arguments}).encode() + b"\n")
        reply = self._read()
        if "error" in reply:
            raise MachineError(f"QMP {name} failed: {reply['error'].get('desc', reply['error'])}")
        return reply.get("return")

    def close(self):
        try:
            self.reader.close()
            self.sock.close()
        except OSError:
            pass
