// The Stage 1 explainer's "Dyner for things in the stdlib": with
// `Iterator` and `DynIterator` imported from `dyner::std`, a `#[dyner]`
// method may take an `impl Iterator<Item = String>`, which `DynWidgetStream`
// passes on as a `DynIterator<'_, String>`. The explainer's verdict:
// accepted.
//@ revisions: explicit implied boxed

use dyner::dyner;
use dyner::std::iter::{DynIterator, Iterator};

#[dyner]
pub trait WidgetStream {
    fn request(&mut self, r: impl Iterator<Item = String>);
}

pub struct Widgets;
impl WidgetStream for Widgets {
    fn request(&mut self, _r: impl Iterator<Item = String>) {}
}

pub fn stream_names(names: Vec<String>) {
    let mut stream = DynWidgetStream::new(Widgets);
    stream.request(DynIterator::new(names.into_iter()));
}
