// A type where a trait belongs: after `impl .. for` and in a bound. rustc
// rejects both (E0404, "expected trait, found struct").
//@ revisions: explicit

pub struct Server;
pub struct PingCheck;

impl Server for PingCheck {}
//~^ ERROR expected trait, found type `Server`

pub fn start<H: Server>(check: H) {
    //~^ ERROR expected trait, found type `Server`
    let _ = check;
}
