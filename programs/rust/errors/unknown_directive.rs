// Directives and annotations chalkboard does not know: a `//@` line it
// does not read, and an annotation whose kind is misspelt. rustc reads
// neither (they are comments to it).
//@ revisions: explicit
//@ rustc-differs: `//@` directives and `//~` annotations are comments to rustc
//@ check-pas
//~^ ERROR unknown directive

pub struct Server; //~ ERRROR misspelt
//~^ ERROR not an annotation kind
