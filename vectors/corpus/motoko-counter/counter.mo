// A counter whose variables are stable (a persistent actor), built twice:
// with classic persistence (wasm32; stable variables are serialized to
// stable memory in pre_upgrade and read back in post_upgrade) and with
// enhanced orthogonal persistence (wasm64; the heap itself is kept).
// Every method takes and returns Candid: `DIDL\00\00` for no arguments,
// `DIDL\00\01\7d` + LEB128 for one Nat.
persistent actor Counter {
  var count : Nat = 0;
  var preupgrades : Nat = 0;
  var postupgrades : Nat = 0;
  // not stable: starts at 0 in every new instance
  transient var calls : Nat = 0;

  public func inc() : async Nat {
    count += 1;
    calls += 1;
    count
  };

  public func add(n : Nat) : async Nat {
    count += n;
    calls += 1;
    count
  };

  // changes the count, then traps: the message's changes are rolled back
  public func add_then_trap(n : Nat) : async Nat {
    count += n;
    calls += 1;
    assert false;
    count
  };

  public query func get() : async Nat { count };
  public query func get_calls() : async Nat { calls };
  public query func get_preupgrades() : async Nat { preupgrades };
  public query func get_postupgrades() : async Nat { postupgrades };

  system func preupgrade() { preupgrades += 1 };
  system func postupgrade() { postupgrades += 1 };
};
