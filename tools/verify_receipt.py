#!/usr/bin/env python3
"""Check a Custos receipt without Custos: a second, independent verifier of docs/receipts.md.

    verify_receipt.py FILE --key VKEY      check one receipt file; prints what it proves
    verify_receipt.py --vectors FILE       check the published test vectors (encoding, commitment, leaf hash)

Standard library only, except the Ed25519 signature check of the checkpoint, which needs the `cryptography`
module (Debian: apt install python3-cryptography). Without it the script refuses to say "verified" unless given
--skip-signature, and then says the signature was not checked. Exit 0 when everything checks, 1 on any failure
(one line on stderr), 2 on bad usage.
"""
import argparse
import base64
import datetime
import hashlib
import json
import struct
import sys

COMMITMENT_VERSION = b"\x01"
OUTCOMES = {1: "ALLOW", 2: "DENY"}


class Invalid(Exception):
    pass


# --- the event bytes (docs/receipts.md, "Event encoding") -------------------------------------------------------

class Reader:
    def __init__(self, data):
        self.data, self.at = data, 0

    def take(self, n):
        if n < 0 or self.at + n > len(self.data):
            raise Invalid("the event bytes are truncated")
        b = self.data[self.at:self.at + n]
        self.at += n
        return b

    def u8(self):
        return self.take(1)[0]

    def u32(self):
        return struct.unpack(">I", self.take(4))[0]

    def u64(self):
        return struct.unpack(">Q", self.take(8))[0]

    def count(self):
        n = self.u32()
        if n > 10000:
            raise Invalid("a list in the event bytes is too long")
        return n

    def text(self, version):
        if version >= 2:
            raw = self.take(self.u32())
            try:
                return raw.decode("utf-8", "strict")
            except UnicodeDecodeError:
                raise Invalid("a string in the event bytes is not UTF-8")
        raw = self.take(struct.unpack(">H", self.take(2))[0])  # version 1: Java's modified UTF-8
        try:
            s = raw.replace(b"\xc0\x80", b"\x00").decode("utf-8", "surrogatepass")
            return s.encode("utf-16", "surrogatepass").decode("utf-16", "surrogatepass")
        except UnicodeError:
            raise Invalid("a string in the version-1 event bytes is malformed")


def signed64(v):
    return v - (1 << 64) if v >= 1 << 63 else v


def signed32(v):
    return v - (1 << 32) if v >= 1 << 31 else v


def decode_event(data):
    """The event's fields, as docs/receipts.md names them. Reads versions 2 to 4 (3 and 4 append the decision inputs
    the entry cites, docs/bundle-format.md) and the older version 1."""
    r = Reader(data)
    version = r.u8()
    if version not in (1, 2, 3, 4):
        raise Invalid("unknown event encoding version %d" % version)
    e = {}
    uid = r.take(16).hex()
    e["id"] = "%s-%s-%s-%s-%s" % (uid[0:8], uid[8:12], uid[12:16], uid[16:20], uid[20:32])
    seconds, nanos = signed64(r.u64()), r.u32()
    if nanos > 999999999:
        raise Invalid("the event's nanoseconds are out of range")
    e["at"] = (seconds, nanos)
    e["partnerId"] = signed64(r.u64())
    e["clientId"] = r.text(version)
    e["purpose"] = r.text(version)
    e["scope"] = r.text(version)
    e["actor"] = signed64(r.u64())
    e["subject"] = signed64(r.u64())
    e["coSubjects"] = [signed64(r.u64()) for _ in range(r.count())]
    code = r.u8()
    if version == 1:
        code += 1  # version 1 wrote the Java enum's ordinal: 0 ALLOW, 1 DENY
    if code not in OUTCOMES:
        raise Invalid("unknown outcome code %d" % code)
    e["outcome"] = OUTCOMES[code]
    e["reasons"] = [r.text(version) for _ in range(r.count())]
    e["basis"] = {
        "agreementId": signed64(r.u64()), "agreementVersion": signed32(r.u32()),
        "consentId": signed64(r.u64()), "consentVersion": signed32(r.u32()),
        "actorSettingsVersion": signed32(r.u32()), "subjectSettingsVersion": signed32(r.u32()),
    }
    e["records"] = signed32(r.u32())
    e["fields"] = [r.text(version) for _ in range(r.count())]
    if version >= 3:
        e["policySeq"] = signed64(r.u64())
        if e["policySeq"] < 0:
            raise Invalid("the event's policy sequence is negative")
    if version == 4:
        def cited():
            seq = signed64(r.u64())
            if seq < -1:
                raise Invalid("a cited policy sequence is below -1")
            return seq
        e["citesPartner"] = cited()
        people = []
        for _ in range(r.count()):
            person = signed64(r.u64())
            if person < 0 or (people and person <= people[-1][0]):
                raise Invalid("the cited people are not in ascending order")
            people.append((person, cited()))
        e["citesPeople"] = people
    if r.at != len(data):
        raise Invalid("trailing bytes after the event")
    return e


def encode_event(e):
    """Version 2 from the fields: the other direction, so the vectors pin both."""
    def text(s):
        b = s.encode("utf-8")
        return struct.pack(">I", len(b)) + b

    def u64(v):
        return struct.pack(">Q", v & (2**64 - 1))

    def u32(v):
        return struct.pack(">I", v & (2**32 - 1))

    seconds, nanos = iso_instant(e["at"])
    out = b"\x02" + bytes.fromhex(e["id"].replace("-", "")) + u64(seconds) + u32(nanos) + u64(e["partnerId"])
    out += text(e["clientId"]) + text(e["purpose"]) + text(e["scope"]) + u64(e["actor"]) + u64(e["subject"])
    out += u32(len(e["coSubjects"])) + b"".join(u64(c) for c in e["coSubjects"])
    out += bytes([{v: k for k, v in OUTCOMES.items()}[e["outcome"]]])
    out += u32(len(e["reasons"])) + b"".join(text(s) for s in e["reasons"])
    b = e["basis"]
    out += u64(b["agreementId"]) + u32(b["agreementVersion"]) + u64(b["consentId"]) + u32(b["consentVersion"])
    out += u32(b["actorSettingsVersion"]) + u32(b["subjectSettingsVersion"])
    out += u32(e["records"]) + u32(len(e["fields"])) + b"".join(text(s) for s in e["fields"])
    return out


def iso_instant(s):
    """(epoch seconds, nanoseconds) of an ISO-8601 UTC instant such as 2026-12-01T16:20:00.123456789Z."""
    if not s.endswith("Z"):
        raise Invalid("time is not UTC: " + s)
    whole, _, fraction = s[:-1].partition(".")
    dt = datetime.datetime.fromisoformat(whole).replace(tzinfo=datetime.timezone.utc)
    return int(dt.timestamp()), int((fraction + "000000000")[:9])


def iso(at):
    seconds, nanos = at
    t = datetime.datetime.fromtimestamp(seconds, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")
    return t + ("." + ("%09d" % nanos).rstrip("0") if nanos else "") + "Z"


# --- the log: commitment, leaf hash, inclusion proof, signed checkpoint --------------------------------------------

def sha256(*parts):
    h = hashlib.sha256()
    for p in parts:
        h.update(p)
    return h.digest()


def commitment(salt, event_bytes):
    return COMMITMENT_VERSION + sha256(salt, event_bytes)


def leaf_hash(leaf):
    return sha256(b"\x00", leaf)


def root_from_inclusion(leaf, index, size, path):
    """RFC 9162 section 2.1.3.2."""
    if not 0 <= index < size:
        raise Invalid("index %d outside a tree of size %d" % (index, size))
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if sn == 0:
            raise Invalid("the inclusion proof is too long")
        if fn & 1 or fn == sn:
            r = sha256(b"\x01", p, r)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            r = sha256(b"\x01", r, p)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise Invalid("the inclusion proof is too short")
    return r


def b64(s, what):
    try:
        return base64.b64decode(s, validate=True)
    except ValueError:
        raise Invalid(what + " is not base64")


def parse_tlog_proof(text):
    """C2SP tlog-proof: header, optional extra line, index line, one base64 hash a line, blank line, signed note."""
    head, sep, note = text.partition("\n\n")
    if not sep:
        raise Invalid("the tlog-proof has no checkpoint")
    lines = head.split("\n")
    if lines[0] != "c2sp.org/tlog-proof@v1":
        raise Invalid("not a c2sp.org/tlog-proof@v1")
    at = 2 if len(lines) > 1 and lines[1].startswith("extra ") else 1
    if at >= len(lines) or not lines[at].startswith("index ") or not lines[at][6:].isdigit():
        raise Invalid("the tlog-proof's index line is malformed")
    path = [b64(line, "a proof hash") for line in lines[at + 1:]]
    if any(len(h) != 32 for h in path):
        raise Invalid("a proof hash is not 32 bytes")
    return int(lines[at][6:]), path, note


def parse_vkey(vkey):
    name, _, rest = vkey.strip().partition("+")
    key_id, _, key = rest.partition("+")
    try:
        key_id, typed = bytes.fromhex(key_id), base64.b64decode(key, validate=True)
    except ValueError:
        raise Invalid("the verifier key is malformed")
    if len(key_id) != 4 or len(typed) != 33 or typed[0] != 1:
        raise Invalid("the verifier key is not an Ed25519 key")
    if sha256(name.encode(), b"\n", typed)[:4] != key_id:
        raise Invalid("the verifier key's ID does not match its key")
    return name, key_id, typed[1:]


def verify_note(note, vkey, check_signature):
    """The signed note's text, once a signature line by this key verifies (C2SP signed-note)."""
    name, key_id, raw = vkey
    split = note.rfind("\n\n")
    if split < 0 or not note.endswith("\n"):
        raise Invalid("the checkpoint note is malformed")
    text, block = note[:split + 1], note[split + 2:-1]
    for line in block.split("\n"):
        if not line.startswith("\u2014 "):
            raise Invalid("malformed signature line")
        signer, _, sig = line[2:].partition(" ")
        blob = b64(sig, "a signature")
        if signer != name or blob[:4] != key_id:
            continue
        if not check_signature:
            return text
        try:
            from cryptography.exceptions import InvalidSignature
            from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
        except ImportError:
            raise Invalid("cannot check the checkpoint signature: the Python 'cryptography' module is missing"
                          " (apt install python3-cryptography), or run with --skip-signature")
        try:
            Ed25519PublicKey.from_public_bytes(raw).verify(blob[4:], text.encode("utf-8"))
            return text
        except InvalidSignature:
            raise Invalid("the checkpoint's signature does not verify with this key")
    raise Invalid("the checkpoint is not signed by " + name)


def hexfield(obj, name):
    v = obj.get(name)
    if not isinstance(v, str):
        raise Invalid("the receipt has no " + name)
    try:
        return bytes.fromhex(v)
    except ValueError:
        raise Invalid("the receipt's %s is not hex" % name)


def verify_receipt(receipt, vkey, check_signature=True):
    """Every check of docs/receipts.md; returns (checkpoint origin, size, decoded event or None)."""
    if not isinstance(receipt, dict) or receipt.get("format") != "custos-receipt/v1":
        raise Invalid("not a custos-receipt/v1 receipt")
    if not isinstance(receipt.get("proof"), str) or not isinstance(receipt.get("index"), int):
        raise Invalid("the receipt has no index or no inclusion proof")
    index, path, note = parse_tlog_proof(receipt["proof"])
    if index != receipt["index"]:
        raise Invalid("the proof is for entry %d, the receipt for entry %d" % (index, receipt["index"]))
    if receipt.get("checkpoint") not in (None, note):
        raise Invalid("the receipt's checkpoint is not the one its proof leads to")
    body = verify_note(note, vkey, check_signature).split("\n")
    if len(body) < 4 or not body[1].isdigit():
        raise Invalid("the checkpoint is malformed")
    origin, size, root = body[0], int(body[1]), b64(body[2], "the checkpoint root")
    if origin != receipt.get("origin"):
        raise Invalid("the checkpoint is of log %s, the receipt names log %s" % (origin, receipt.get("origin")))
    leaf = hexfield(receipt, "commitment")
    event = None
    opening = receipt.get("opening")
    if opening is not None:
        salt, event_bytes = hexfield(opening, "salt"), hexfield(opening, "event")
        if commitment(salt, event_bytes) != leaf:
            raise Invalid("the opening (salt and event bytes) does not recompute the entry's commitment")
        event = decode_event(event_bytes)
    if receipt.get("leafHash") is not None and hexfield(receipt, "leafHash") != leaf_hash(leaf):
        raise Invalid("the leaf hash is not the RFC 6962 hash of the entry's commitment")
    if root_from_inclusion(leaf_hash(leaf), index, size, path) != root:
        raise Invalid("the inclusion proof does not lead to the signed root")
    return origin, size, event


def check_vectors(vectors):
    """Version-2 vectors decode, encode, commit and hash as published; version-1 ones (read only) decode and commit."""
    for v in vectors["vectors"] + vectors.get("version1", []):
        event_bytes, salt = bytes.fromhex(v["eventHex"]), bytes.fromhex(v["salt"])
        decoded = decode_event(event_bytes)
        expected = dict(v["event"])
        expected["at"] = iso_instant(expected["at"])
        if decoded != expected:
            raise Invalid("vector %s: the bytes decode to other fields" % v["name"])
        if event_bytes[0] == 2 and encode_event(v["event"]) != event_bytes:
            raise Invalid("vector %s: the fields encode to other bytes" % v["name"])
        if commitment(salt, event_bytes).hex() != v["commitment"]:
            raise Invalid("vector %s: the commitment differs" % v["name"])
        if leaf_hash(bytes.fromhex(v["commitment"])).hex() != v["leafHash"]:
            raise Invalid("vector %s: the leaf hash differs" % v["name"])
    return len(vectors["vectors"]), len(vectors.get("version1", []))


def main(argv):
    ap = argparse.ArgumentParser(description="Check a Custos receipt (docs/receipts.md) without Custos.")
    ap.add_argument("file", nargs="?", help="the receipt file (JSON)")
    ap.add_argument("--key", help="the log's verifier key (name+keyid+key)")
    ap.add_argument("--skip-signature", action="store_true", help="do not check the checkpoint signature")
    ap.add_argument("--vectors", help="check the test vectors file instead")
    args = ap.parse_args(argv)
    try:
        if args.vectors:
            with open(args.vectors, encoding="utf-8") as f:
                print("vectors verified: %d events encode, commit and hash as published; %d version-1 events decode"
                      % check_vectors(json.load(f)))
            return 0
        if not args.file or not args.key:
            ap.error("a receipt FILE and --key are required")
        try:
            with open(args.file, encoding="utf-8") as f:
                receipt = json.load(f)
        except (OSError, ValueError) as e:
            raise Invalid("cannot read the receipt file: %s" % e)
        origin, size, e = verify_receipt(receipt, parse_vkey(args.key), not args.skip_signature)
    except Invalid as failure:
        print("verify_receipt: FAILED: %s" % failure, file=sys.stderr)
        return 1
    print("receipt verified: entry %d is in %s, in the tree of %d entries whose signed root the proof reaches%s"
          % (receipt["index"], origin, size, " (signature NOT checked)" if args.skip_signature else ""))
    if e is None:
        print("  no opening: this receipt proves the entry is in the log, not what it says")
    else:
        print("  person   %d" % e["subject"])
        print("  partner  %d, client %s" % (e["partnerId"], e["clientId"]))
        print("  purpose  %s" % e["purpose"])
        print("  scope    %s" % e["scope"])
        print("  outcome  %s%s" % (e["outcome"], ": " + ", ".join(e["reasons"]) if e["reasons"] else ""))
        print("  released %d records%s" % (e["records"], ": " + ", ".join(e["fields"]) if e["fields"] else ""))
        print("  time     %s" % iso(e["at"]))
        if "policySeq" in e:
            print("  inputs   policy sequence %d%s" % (e["policySeq"], "" if "citesPeople" not in e else
                  "; partner at %d, %s" % (e["citesPartner"], ", ".join("person %d at %d" % c for c in e["citesPeople"]))))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
