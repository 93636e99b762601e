//! A hash map that lives in stable memory, not in the heap: every insert
//! and remove writes its bucket there, so an upgrade has nothing to save
//! and skip_pre_upgrade loses nothing. #![no_std], no crates: the System
//! API is imported by hand (Debian's rustc 1.63, wasm32-unknown-unknown).
//!
//! Stable memory: a 32-byte header (magic, bucket count, entry count,
//! pre_upgrade count), then 16,384 buckets of 24 bytes (state, key,
//! value); open addressing with linear probing and tombstones.
//!
//! Arguments and replies are raw little-endian u64s, as the vectors write
//! them; a missing key answers u64::MAX.
#![no_std]

#[link(wasm_import_module = "ic0")]
extern "C" {
    fn msg_arg_data_size() -> usize;
    fn msg_arg_data_copy(dst: usize, offset: usize, size: usize);
    fn msg_reply_data_append(src: usize, size: usize);
    fn msg_reply();
    fn trap(src: usize, size: usize) -> !;
    fn stable64_size() -> u64;
    fn stable64_grow(new_pages: u64) -> i64;
    fn stable64_read(dst: u64, offset: u64, size: u64);
    fn stable64_write(offset: u64, src: u64, size: u64);
}

const MAGIC: u64 = 0x5041_4d5f_5453_5552; // "RUST_MAP"
const PAGE: u64 = 65536;
const HEADER: u64 = 32;
const BUCKETS: u64 = 16384;
const BUCKET: u64 = 24;
const EMPTY: u64 = 0;
const FULL: u64 = 1;
const DELETED: u64 = 2;
const ABSENT: u64 = u64::MAX;

fn fail(text: &str) -> ! {
    unsafe { trap(text.as_ptr() as usize, text.len()) }
}

#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    fail("panic")
}

fn read_u64s<const N: usize>(offset: u64) -> [u64; N] {
    let mut words = [0u64; N];
    unsafe { stable64_read(words.as_mut_ptr() as u64, offset, 8 * N as u64) };
    words
}

fn write_u64s(offset: u64, words: &[u64]) {
    unsafe { stable64_write(offset, words.as_ptr() as u64, 8 * words.len() as u64) };
}

struct Header {
    count: u64,
    pre_upgrades: u64,
}

fn header() -> Header {
    let [magic, buckets, count, pre_upgrades] = read_u64s::<4>(0);
    if magic != MAGIC || buckets != BUCKETS {
        fail("the stable map is not initialized");
    }
    Header { count, pre_upgrades }
}

fn set_header(h: &Header) {
    write_u64s(0, &[MAGIC, BUCKETS, h.count, h.pre_upgrades]);
}

fn bucket_offset(i: u64) -> u64 {
    HEADER + i * BUCKET
}

fn hash(key: u64) -> u64 {
    let mut x = key ^ (key >> 31);
    x = x.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    (x ^ (x >> 29)) % BUCKETS
}

/// The bucket holding key, or where it would go: (index, found).
fn find(key: u64) -> (u64, bool) {
    let mut free = None;
    let mut i = hash(key);
    for _ in 0..BUCKETS {
        let [state, k, _] = read_u64s::<3>(bucket_offset(i));
        match state {
            FULL if k == key => return (i, true),
            EMPTY => return (free.unwrap_or(i), false),
            DELETED if free.is_none() => free = Some(i),
            _ => {}
        }
        i = (i + 1) % BUCKETS;
    }
    match free {
        Some(i) => (i, false),
        None => fail("the stable map is full"),
    }
}

fn insert(key: u64, value: u64) -> u64 {
    let (i, found) = find(key);
    let old = if found { read_u64s::<3>(bucket_offset(i))[2] } else { ABSENT };
    if !found {
        let mut h = header();
        if h.count + 1 > BUCKETS * 3 / 4 {
            fail("the stable map is full");
        }
        h.count += 1;
        set_header(&h);
    }
    write_u64s(bucket_offset(i), &[FULL, key, value]);
    old
}

fn get(key: u64) -> u64 {
    match find(key) {
        (i, true) => read_u64s::<3>(bucket_offset(i))[2],
        _ => ABSENT,
    }
}

fn remove(key: u64) -> u64 {
    match find(key) {
        (i, true) => {
            let old = read_u64s::<3>(bucket_offset(i))[2];
            write_u64s(bucket_offset(i), &[DELETED, 0, 0]);
            let mut h = header();
            h.count -= 1;
            set_header(&h);
            old
        }
        _ => ABSENT,
    }
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

#[export_name = "canister_init"]
pub extern "C" fn init() {
    let pages = (HEADER + BUCKETS * BUCKET + PAGE - 1) / PAGE;
    unsafe {
        if stable64_size() < pages && stable64_grow(pages - stable64_size()) < 0 {
            fail("no stable memory for the map");
        }
    }
    // fresh stable memory is zeros: every bucket is EMPTY
    set_header(&Header { count: 0, pre_upgrades: 0 });
}

#[export_name = "canister_pre_upgrade"]
pub extern "C" fn pre_upgrade() {
    let mut h = header();
    h.pre_upgrades += 1;
    set_header(&h);
}

/// Nothing to restore: checks the map is there.
#[export_name = "canister_post_upgrade"]
pub extern "C" fn post_upgrade() {
    header();
}

/// insert KEY VALUE -> the previous value
#[export_name = "canister_update insert"]
pub extern "C" fn update_insert() {
    let [key, value] = args::<2>();
    reply(insert(key, value));
}

/// insert_many FIRST N: keys FIRST .. FIRST+N-1, value key * key -> the length
#[export_name = "canister_update insert_many"]
pub extern "C" fn update_insert_many() {
    let [first, n] = args::<2>();
    for key in first..first + n {
        insert(key, key.wrapping_mul(key));
    }
    reply(header().count);
}

/// remove KEY -> the removed value
#[export_name = "canister_update remove"]
pub extern "C" fn update_remove() {
    let [key] = args::<1>();
    reply(remove(key));
}

/// insert KEY VALUE, then trap: the bucket and the count stay as they were
#[export_name = "canister_update insert_then_trap"]
pub extern "C" fn update_insert_then_trap() {
    let [key, value] = args::<2>();
    insert(key, value);
    fail("insert_then_trap");
}

#[export_name = "canister_query get"]
pub extern "C" fn query_get() {
    let [key] = args::<1>();
    reply(get(key));
}

/// sum FIRST N -> the sum of the values of keys FIRST .. FIRST+N-1 (wrapping)
#[export_name = "canister_query sum"]
pub extern "C" fn query_sum() {
    let [first, n] = args::<2>();
    let mut sum = 0u64;
    for key in first..first + n {
        let value = get(key);
        if value == ABSENT {
            fail("sum: a key is absent");
        }
        sum = sum.wrapping_add(value);
    }
    reply(sum);
}

#[export_name = "canister_query len"]
pub extern "C" fn query_len() {
    reply(header().count);
}

#[export_name = "canister_query pre_upgrades"]
pub extern "C" fn query_pre_upgrades() {
    reply(header().pre_upgrades);
}
