// Carries about 10 MB through an upgrade: ten chunks of 1 MiB, each a Blob
// in a stable array, made one update at a time. With classic persistence
// pre_upgrade serializes all of it into stable memory and post_upgrade
// reads it back; with enhanced orthogonal persistence it stays in the
// heap. Chunk c repeats 16 ASCII letters, so byte i of chunk c is
// 97 + (i mod 16 + c) mod 26 and can be checked without the canister.
// Candid: DIDL\00\00 for no arguments, DIDL\00\01\7d + LEB128 for a Nat.
import Array "mo:core/Array";
import Blob "mo:core/Blob";
import Char "mo:core/Char";
import Nat "mo:core/Nat";
import Nat8 "mo:core/Nat8";
import Nat32 "mo:core/Nat32";
import Runtime "mo:core/Runtime";
import Text "mo:core/Text";

persistent actor TenMegabytes {
  var chunks : [Blob] = [];

  // 16 letters, doubled 16 times (a rope), flattened into a 1 MiB Blob
  func chunk(c : Nat) : Blob {
    var t = "";
    for (k in Nat.range(0, 16)) {
      t #= Char.toText(Char.fromNat32(Nat32.fromNat(97 + (k + c) % 26)))
    };
    for (_ in Nat.range(0, 16)) { t #= t };
    Text.encodeUtf8(t)
  };

  // adds the next chunk -> the number of chunks
  public func add_chunk() : async Nat {
    chunks := Array.concat(chunks, [chunk(chunks.size())]);
    chunks.size()
  };

  // adds a chunk, then traps: the array stays as it was
  public func add_chunk_then_trap() : async Nat {
    chunks := Array.concat(chunks, [chunk(chunks.size())]);
    assert false;
    chunks.size()
  };

  public query func total_bytes() : async Nat {
    var total = 0;
    for (b in chunks.vals()) { total += b.size() };
    total
  };

  // byte i of chunk c (walks the chunk up to i)
  public query func byte(c : Nat, i : Nat) : async Nat {
    var k = 0;
    for (b in chunks[c].vals()) {
      if (k == i) return Nat8.toNat(b);
      k += 1
    };
    Runtime.trap("no such byte")
  };

  // the runtime's hash of every chunk, combined
  public query func hash() : async Nat {
    var h : Nat32 = 0;
    for (b in chunks.vals()) { h := (h *% 31) ^ Blob.hash(b) };
    Nat32.toNat(h)
  };
};
