// A path that the model of the standard library lacks: rustc knows
// `std::collections::HashMap`, chalkboard's model does not. The error is
// reported where the name is used, and its help says to declare what the
// file needs in the file itself (as `Server` is declared below).
//@ revisions: explicit
//@ rustc-differs: the model of the standard library declares only what the design questions turn on, and `std::collections::HashMap` is not part of it

use std::collections::HashMap;

pub struct Server;

pub struct Registry {
    servers: HashMap<u32, Server>,
    //~^ ERROR cannot find type `HashMap`
}
