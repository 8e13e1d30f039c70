// A revision that names no design: its run reports `unknown-revision`
// (which the file may annotate, as here, for that revision), and the other
// revisions run as usual. rustc does not read revisions.
//@ revisions: explicit implicit
//[implicit]~^ ERROR unknown design `implicit`
//@ rustc-differs: `//@ revisions` are comments to rustc

pub struct Server;
