#!/usr/bin/env python3
"""A toy runtime for canmem's process adapter (docs/adapter-process.md).

It compiles nothing and runs no WebAssembly: it checks that a module
starts with the wasm magic (or is gzip, which it refuses), keeps track of
whether the canister is empty, and answers every message on an installed
canister with a trap in category "not-modelled". Most vectors fail on it;
it exists to show the protocol end to end. A real runtime replaces the
Canister class and keeps main() as it is.

Run it through the runner with
  CANMEM_PROCESS_ADAPTER="python3 docs/examples/process_adapter.py" \
    canmem-run --adapter PKGLIBDIR/canmem-process-adapter.so vectors/...
"""
import json
import struct
import sys

PROTOCOL = 1
OK, ERR_UNSUPPORTED, ERR_ARGUMENT, ERR_INTERNAL = 0, 1, 2, 3
# outcome kinds, reject codes and categories of ref/abi/canmem_adapter.h
REPLY, REJECT, NO_REPLY, TRAP, INSTALL_REJECTED = 1, 2, 3, 4, 5
RC_NONE, RC_DESTINATION_INVALID, RC_CANISTER_ERROR = 0, 3, 5
CAT_NONE, CAT_NOT_MODELLED, CAT_INVALID_MODULE = 0, 26, 40
CAT_CANISTER_EMPTY, CAT_UNSUPPORTED = 51, 57
MODE_INSTALL, MODE_REINSTALL, MODE_UPGRADE, MODE_UNINSTALL = 1, 2, 3, 4


def outcome(kind, code=RC_NONE, category=CAT_NONE, message="", payload=b""):
    return dict(status=OK, kind=kind, code=code, category=category,
                message=message, payload=payload)


def error(status, message):
    return dict(status=status, message=message)


class Canister:
    """The toy model: a canister is empty or holds a module it cannot run."""

    def __init__(self, profile):
        self.profile = profile
        self.module = None

    def install(self, mode, wasm, arg):
        if mode == MODE_UNINSTALL:
            self.module = None
            return outcome(REPLY)
        if mode not in (MODE_INSTALL, MODE_REINSTALL, MODE_UPGRADE):
            return error(ERR_ARGUMENT, "unknown install mode %d" % mode)
        if mode == MODE_INSTALL and self.module is not None:
            return outcome(INSTALL_REJECTED, RC_CANISTER_ERROR, 50,
                           "canister not empty")
        if mode == MODE_UPGRADE and self.module is None:
            return outcome(INSTALL_REJECTED, RC_CANISTER_ERROR,
                           CAT_CANISTER_EMPTY, "canister empty")
        if wasm[:2] == b"\x1f\x8b":
            return outcome(INSTALL_REJECTED, RC_CANISTER_ERROR,
                           CAT_UNSUPPORTED, "the toy reads no gzip")
        if wasm[:4] != b"\0asm":
            return outcome(INSTALL_REJECTED, RC_CANISTER_ERROR,
                           CAT_INVALID_MODULE, "not a wasm module")
        self.module = bytes(wasm)
        return outcome(REPLY)

    def call(self, kind, method, arg):
        if self.module is None:
            return outcome(REJECT, RC_DESTINATION_INVALID, CAT_CANISTER_EMPTY,
                           "canister empty")
        return outcome(TRAP, RC_CANISTER_ERROR, CAT_NOT_MODELLED,
                       "the toy runs no WebAssembly (%s)" % method)

    def settings(self, fields, limit, threshold):
        return outcome(REPLY)

    def probe(self, what, offset, size):
        return error(ERR_UNSUPPORTED, "the toy offers no probes")


def handle(canister, req, body):
    """One request; returns (canister, response)."""
    op = req.get("op")
    if op == "hello":
        if req.get("protocol") != PROTOCOL:
            return canister, error(ERR_UNSUPPORTED, "protocol %r unknown"
                                   % req.get("protocol"))
        hello = dict(protocol=PROTOCOL, name="python-toy", version="0.1",
                     capabilities="0", probes=False)
        return canister, dict(status=OK, payload=json.dumps(hello).encode())
    if op == "create":
        return Canister(req["profile"]), outcome(REPLY, message="toy")
    if canister is None:
        return None, error(ERR_ARGUMENT, "no canister created yet")
    if op == "install":
        wasm_size = int(req["wasm_size"])
        return canister, canister.install(req["mode"], body[:wasm_size],
                                          body[wasm_size:])
    if op == "call":
        return canister, canister.call(req["kind"], req["method"], body)
    if op == "settings":
        return canister, canister.settings(req["fields"], int(req["limit"]),
                                           int(req["threshold"]))
    if op == "probe":
        return canister, canister.probe(req["what"], int(req.get("offset", 0)),
                                        int(req.get("size", 0)))
    return canister, error(ERR_ARGUMENT, "unknown operation %r" % op)


def read_exactly(stream, n):
    data = b""
    while len(data) < n:
        chunk = stream.read(n - len(data))
        if not chunk:
            return None
        data += chunk
    return data


def send(stream, r):
    message = r.get("message", "").encode("utf-8")[:511]
    payload = r.get("payload", b"")
    head = struct.pack("<IIIIQIQ", r["status"], r.get("kind", 0),
                       r.get("code", 0), r.get("category", 0),
                       r.get("value", 0), len(message), len(payload))
    stream.write(head + message + payload)
    stream.flush()


def main():
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    canister = None
    while True:
        head = read_exactly(stdin, 12)
        if head is None:
            return  # end of input: the runner is done with this canister
        json_len, body_len = struct.unpack("<IQ", head)
        text = read_exactly(stdin, json_len)
        body = read_exactly(stdin, body_len) if body_len else b""
        if text is None or body is None:
            return
        try:
            canister, response = handle(canister, json.loads(text), body)
        except Exception as e:  # a bug in the runtime is its error, not a hang
            response = error(ERR_INTERNAL, "toy: %r" % e)
        send(stdout, response)


if __name__ == "__main__":
    main()
