// Stable memory regions (mo:core/Region): two regions that grow
// independently inside one stable memory, a log of Nat64 values appended
// to one and a table of squares in the other. The Region values are stable
// variables, so the regions and their contents survive upgrades.
// Candid: DIDL\00\00 for no arguments; a Nat64 is DIDL\00\01\78 and 8
// little-endian bytes; a Nat is DIDL\00\01\7d and LEB128.
import Region "mo:core/Region";
import Runtime "mo:core/Runtime";

persistent actor Regions {
  let log = Region.new();
  let squares = Region.new();
  var logged : Nat64 = 0;

  func reserve(r : Region.Region, bytes : Nat64) {
    let pages = (bytes + 65535) / 65536;
    let have = Region.size(r);
    if (pages > have and Region.grow(r, pages - have) == 0xFFFF_FFFF_FFFF_FFFF) {
      Runtime.trap("no stable memory left")
    }
  };

  // appends x to the log -> the number of entries
  public func append(x : Nat64) : async Nat64 {
    reserve(log, (logged + 1) * 8);
    Region.storeNat64(log, logged * 8, x);
    logged += 1;
    logged
  };

  // appends x, then traps: the entry and the region's growth vanish
  public func append_then_trap(x : Nat64) : async Nat64 {
    reserve(log, (logged + 1) * 8 + 65536);
    Region.storeNat64(log, logged * 8, x);
    logged += 1;
    Runtime.trap("append_then_trap")
  };

  // squares 0 .. n-1 -> the region's size in pages
  public func fill_squares(n : Nat64) : async Nat64 {
    reserve(squares, n * 8);
    var i : Nat64 = 0;
    while (i < n) {
      Region.storeNat64(squares, i * 8, i * i);
      i += 1
    };
    Region.size(squares)
  };

  public query func entry(i : Nat64) : async Nat64 {
    if (i >= logged) Runtime.trap("no such entry");
    Region.loadNat64(log, i * 8)
  };

  public query func log_sum() : async Nat64 {
    var sum : Nat64 = 0;
    var i : Nat64 = 0;
    while (i < logged) {
      sum +%= Region.loadNat64(log, i * 8);
      i += 1
    };
    sum
  };

  public query func square(i : Nat64) : async Nat64 {
    Region.loadNat64(squares, i * 8)
  };

  // the pages of each region and their ids: log pages, squares pages, ids
  public query func layout() : async (Nat64, Nat64, Nat, Nat) {
    (Region.size(log), Region.size(squares), Region.id(log), Region.id(squares))
  };
};
