// The Stage 1 explainer's "Dyner all the things": `Print::print` takes an
// `impl Screen`, which is not dyn safe, but it is dyner safe because
// `Screen` is also `#[dyner]`: `DynPrint` passes the screen on as a
// `DynScreen`. `from_ref` gives a `Ref<DynPrint>`, through which the `&self`
// method `print` can be called. The explainer's verdict: accepted.
//@ revisions: explicit implied boxed

use dyner::dyner;

#[dyner]
pub trait Print {
    fn print(&self, screen: &mut impl Screen);
}

#[dyner]
pub trait Screen {
    fn output(&mut self, x: usize, y: usize, c: char);
}

pub struct Terminal;
impl Screen for Terminal {
    fn output(&mut self, _x: usize, _y: usize, _c: char) {}
}

pub struct Letter;
impl Print for Letter {
    fn print(&self, screen: &mut impl Screen) {
        screen.output(0, 0, 'a');
    }
}

pub fn print_boxed(letter: Letter, terminal: &mut Terminal) {
    let printer = DynPrint::new(letter);
    printer.print(terminal);
}

pub fn print_borrowed(letter: &Letter, terminal: &mut Terminal) {
    let printer = DynPrint::from_ref(letter);
    printer.print(terminal);
}
