//! Blocks of stable memory worked on in the heap: an update copies a 1 MiB
//! block from stable memory into a Vec, changes it there (fill, sort,
//! reverse) and writes it back. The Rust standard library (Vec, sort,
//! the allocator growing the wasm heap), no crates; the System API is
//! imported by hand (Debian's rustc 1.63, wasm32-unknown-unknown).
//!
//! Stable memory holds BLOCKS blocks of BLOCK bytes after a page of
//! header. A count of operations lives in the heap and is saved to the
//! header in pre_upgrade, read back in post_upgrade: the usual pattern,
//! which skip_pre_upgrade breaks (the count read back is the old one).
//!
//! Arguments and replies are raw little-endian u64s.

#[link(wasm_import_module = "ic0")]
extern "C" {
    fn msg_arg_data_size() -> usize;
    fn msg_arg_data_copy(dst: usize, offset: usize, size: usize);
    fn msg_reply_data_append(src: usize, size: usize);
    fn msg_reply();
    fn trap(src: usize, size: usize);
    fn stable64_size() -> u64;
    fn stable64_grow(new_pages: u64) -> i64;
    fn stable64_read(dst: u64, offset: u64, size: u64);
    fn stable64_write(offset: u64, src: u64, size: u64);
}

const PAGE: u64 = 65536;
const BLOCK: usize = 1 << 20;
const BLOCKS: u64 = 8;
const MAGIC: u64 = 0x4b43_4f4c_425f_5352; // "RS_BLOCK"

static mut OPERATIONS: u64 = 0;

fn fail(text: &str) -> ! {
    unsafe { trap(text.as_ptr() as usize, text.len()) };
    unreachable!()
}

fn args<const N: usize>() -> [u64; N] {
    let mut words = [0u64; N];
    unsafe {
        if msg_arg_data_size() != 8 * N {
            fail("expected little-endian u64 arguments");
        }
        msg_arg_data_copy(words.as_mut_ptr() as usize, 0, 8 * N);
    }
    words
}

fn reply(x: u64) {
    unsafe {
        msg_reply_data_append(&x as *const u64 as usize, 8);
        msg_reply();
    }
}

fn block_offset(block: u64) -> u64 {
    if block >= BLOCKS {
        fail("no such block");
    }
    PAGE + block * BLOCK as u64
}

/// The block, copied from stable memory into a new heap buffer.
fn load(block: u64) -> Vec<u8> {
    let mut data = vec![0u8; BLOCK];
    unsafe { stable64_read(data.as_mut_ptr() as u64, block_offset(block), BLOCK as u64) };
    data
}

fn store(block: u64, data: &[u8]) {
    unsafe { stable64_write(block_offset(block), data.as_ptr() as u64, data.len() as u64) };
    unsafe { OPERATIONS += 1 };
}

fn checksum(data: &[u8]) -> u64 {
    data.iter()
        .fold(0xcbf2_9ce4_8422_2325u64, |h, &b| (h ^ b as u64).wrapping_mul(0x100_0000_01b3))
}

fn read_header() -> [u64; 2] {
    let mut h = [0u64; 2];
    unsafe { stable64_read(h.as_mut_ptr() as u64, 0, 16) };
    h
}

#[export_name = "canister_init"]
pub extern "C" fn init() {
    let pages = 1 + BLOCKS * BLOCK as u64 / PAGE;
    unsafe {
        if stable64_grow(pages - stable64_size()) < 0 {
            fail("no stable memory for the blocks");
        }
    }
}

#[export_name = "canister_pre_upgrade"]
pub extern "C" fn pre_upgrade() {
    let h = [MAGIC, unsafe { OPERATIONS }];
    unsafe { stable64_write(0, h.as_ptr() as u64, 16) };
}

#[export_name = "canister_post_upgrade"]
pub extern "C" fn post_upgrade() {
    let [magic, operations] = read_header();
    if magic != MAGIC {
        fail("no header: pre_upgrade never ran");
    }
    unsafe { OPERATIONS = operations };
}

/// fill BLOCK SEED: pseudo-random bytes (xorshift from SEED) -> checksum
#[export_name = "canister_update fill"]
pub extern "C" fn update_fill() {
    let [block, seed] = args::<2>();
    let mut data = load(block);
    let mut x = seed | 1;
    for byte in data.iter_mut() {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        *byte = (x >> 24) as u8;
    }
    store(block, &data);
    reply(checksum(&data));
}

/// sort BLOCK: the block's bytes in ascending order -> checksum
#[export_name = "canister_update sort"]
pub extern "C" fn update_sort() {
    let [block] = args::<1>();
    let mut data = load(block);
    data.sort_unstable();
    store(block, &data);
    reply(checksum(&data));
}

/// copy FROM TO: block FROM into block TO, through the heap -> checksum
#[export_name = "canister_update copy"]
pub extern "C" fn update_copy() {
    let [from, to] = args::<2>();
    let data = load(from);
    store(to, &data);
    reply(checksum(&data));
}

/// reverse_then_trap BLOCK: writes the reversed block back, then traps
#[export_name = "canister_update reverse_then_trap"]
pub extern "C" fn update_reverse_then_trap() {
    let [block] = args::<1>();
    let mut data = load(block);
    data.reverse();
    store(block, &data);
    fail("reverse_then_trap");
}

#[export_name = "canister_query checksum"]
pub extern "C" fn query_checksum() {
    let [block] = args::<1>();
    reply(checksum(&load(block)));
}

/// is_sorted BLOCK -> 1 or 0
#[export_name = "canister_query is_sorted"]
pub extern "C" fn query_is_sorted() {
    let [block] = args::<1>();
    let data = load(block);
    reply(data.windows(2).all(|w| w[0] <= w[1]) as u64);
}

/// byte BLOCK INDEX -> the byte
#[export_name = "canister_query byte"]
pub extern "C" fn query_byte() {
    let [block, index] = args::<2>();
    let mut b = 0u8;
    if index >= BLOCK as u64 {
        fail("no such byte");
    }
    unsafe { stable64_read(&mut b as *mut u8 as u64, block_offset(block) + index, 1) };
    reply(b as u64);
}

#[export_name = "canister_query operations"]
pub extern "C" fn query_operations() {
    reply(unsafe { OPERATIONS });
}
