// Carries about 10 MB through an upgrade: ten chunks of 1 MiB, each a Blob
// in a stable array, made one update at a time. With classic persistence
// pre_upgrade serializes all of it into stable memory and post_upgrade
// reads it back. Byte i of chunk c is (7 * i + c) % 256, so any byte can
// be checked without the canister.
// Candid: DIDL\00\00 for no arguments, DIDL\00\01\7d + LEB128 for a Nat.
import Array "mo:core/Array";
import Blob "mo:core/Blob";
import Nat8 "mo:core/Nat8";
import Nat32 "mo:core/Nat32";

persistent actor TenMegabytes {
  let chunkSize = 1_048_576;
  var chunks : [Blob] = [];

  func chunk(c : Nat) : Blob {
    Blob.fromArray(Array.tabulate<Nat8>(chunkSize, func i = Nat8.fromNat((7 * i + c) % 256)))
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

  // byte i of chunk c
  public query func byte(c : Nat, i : Nat) : async Nat {
    Nat8.toNat(Blob.toArray(chunks[c])[i])
  };

  // the runtime's hash of every chunk, combined
  public query func hash() : async Nat {
    var h : Nat32 = 0;
    for (b in chunks.vals()) { h := (h *% 31) ^ Blob.hash(b) };
    Nat32.toNat(h)
  };
};
