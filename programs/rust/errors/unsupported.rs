// Constructs outside the subset chalkboard reads: each is reported where it
// is, and the rest of the file is read. rustc accepts all of them.
//@ revisions: explicit
//@ rustc-differs: chalkboard does not read `const` and `static` items, unions or macro definitions, which rustc accepts

pub const LIMIT: u32 = 10;
//~^ ERROR not supported

pub union Bits {
    //~^ ERROR not supported
    word: u32,
    bytes: [u8; 4],
}

macro_rules! noop {
    //~^ ERROR not supported
    () => {};
}
